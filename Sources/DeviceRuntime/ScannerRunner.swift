import CheckpointCore
import DeviceIO
import Foundation
import Logging
import Scanners
#if canImport(Glibc)
import Glibc
#endif

/// What a `ScannerRunner` reports, on the loop thread.
public enum ScannerEvent: Sendable, Hashable {
    /// A new scan (not a repeat within the duplicate window).
    case scan(Scan)
    /// A repeat of a scan within the duplicate window: suppressed, counted.
    case duplicate(Scan)
    case rejected(ScanRejection)
    case opened
    case closed(reason: String)
}

/// Runs one scanner: its device (a `SerialPort`, or an evdev / hidraw `DeviceNodeReader`) in the
/// event loop, its `ScanDecoder`, the duplicate-scan window, and one loop timer only while input is
/// partial (an idle gate has no timer). Port loss discards the partial scan (counted).
///
/// The gate calls `resetDuplicateWindow()` when it decides (docs/contracts.md §10). The daemon's
/// `scanner.configure` borrows the serial line with `lendConfigurationChannel()`: while lent,
/// received bytes go to the configuration conversation instead of the decoder.
///
/// Concurrency: decoder, filter, counters and timer live in one `Mutex`.
public final class ScannerRunner: Sendable {
    public typealias EventHandler = @Sendable (ScannerEvent) -> Void

    public enum Source: Sendable {
        case serial(SerialPort)
        case node(DeviceNodeReader)
    }

    public let id: String
    /// The device path (node or stable link) given at creation.
    public let path: String
    public let source: Source
    public let loop: EventLoop
    private let logger: Logger
    private let inner: Mutex<Inner>

    private struct Inner {
        var decoder: ScanDecoder
        var filter: DuplicateScanFilter
        var counters = ScanCounters()
        var lastScanAt: Date?
        var timer: EventLoop.TimerHandle?
        var handlers: [EventHandler] = []
        var lentTo: ByteInbox?
    }

    /// A runner for `profile` on the device at `path`. Serial models need `serialSettings`.
    /// `counters` and `lastScanAt` continue those of an earlier runner of the same scanner (the
    /// same device replugged at another node).
    public init(id: String, profile: ScannerProfile, path: String, serialSettings: SerialSettings?, loop: EventLoop,
                duplicateWindow: Duration = .seconds(3), reopenPolicy: SerialPort.ReopenPolicy = .standard,
                counters: ScanCounters = ScanCounters(), lastScanAt: Date? = nil,
                logger: Logger = Logger(label: "checkpoint.scanner")) throws {
        self.id = id
        self.path = path
        self.loop = loop
        var logger = logger
        logger[metadataKey: "device"] = "\(id)"
        logger[metadataKey: "model"] = "\(profile.model)"
        self.logger = logger
        switch profile.decoding {
        case .serial:
            self.source = .serial(try SerialPort(path: path, settings: serialSettings ?? SerialSettings(), loop: loop,
                                                 reopenPolicy: reopenPolicy, logger: logger))
        case .keyboardWedge:
            self.source = .node(EvdevReader.make(path: path, loop: loop, logger: logger))
        case .hidPOS(let layout, _):
            self.source = .node(HidrawReader.make(path: path, loop: loop, posModeFeatureReport: layout.posModeFeatureReport,
                                                      reportLength: layout.reportLength, logger: logger))
        }
        self.inner = Mutex(Inner(decoder: profile.makeDecoder(device: id), filter: DuplicateScanFilter(window: duplicateWindow),
                                 counters: counters, lastScanAt: lastScanAt))
    }

    public func onEvent(_ handler: @escaping EventHandler) { inner.withLock { $0.handlers.append(handler) } }

    public var counters: ScanCounters { inner.withLock { $0.counters } }

    /// Port state, counters and the last scan's time, for `scanners.status`.
    public var status: ScannerStatus {
        let port: String
        switch source {
        case .serial(let p): port = p.state.description
        case .node(let r): port = r.state.description
        }
        return inner.withLock { ScannerStatus(id: id, path: path, port: port, counters: $0.counters, lastScanAt: $0.lastScanAt) }
    }

    /// Forgets the scans seen, so the next scan of the same code counts (the gate decided).
    public func resetDuplicateWindow() { inner.withLock { $0.filter.reset() } }

    /// Opens the device now or throws (serial ports then reopen by themselves after a loss).
    public func open() throws {
        wire()
        switch source {
        case .serial(let p): try p.open()
        case .node(let r): try r.open()
        }
    }

    /// Starts a serial port even if the device is absent (picked up when it appears); device
    /// nodes are opened now (discovery reopens them on hotplug).
    public func start() throws {
        wire()
        switch source {
        case .serial(let p): p.start()
        case .node(let r): try r.open()
        }
    }

    public func stop() {
        switch source {
        case .serial(let p): p.close()
        case .node(let r): r.close()
        }
        if let t = inner.withLock({ s -> EventLoop.TimerHandle? in defer { s.timer = nil }; return s.timer }) { _ = loop.cancel(t) }
    }

    /// True while the port or node is open.
    public var isOpen: Bool {
        switch source {
        case .serial(let p): return p.state.isOpen
        case .node(let r): return r.state == .open
        }
    }

    /// The device was unplugged (a hotplug "remove"): closes it and, unless its loss was already
    /// reported (a read error usually comes first), reports `.closed(reason:)`, discarding and
    /// counting a partial scan.
    public func detach(reason: String) {
        let wasOpen = isOpen
        stop()
        if wasOpen { lost(reason) }
    }

    /// Lends the serial line for a configuration conversation; scan decoding resumes on `release`.
    public func lendConfigurationChannel() throws -> ScannerControl.Channel {
        guard case .serial(let port) = source else { throw ScannerRunnerError.notSerial(id) }
        let inbox = ByteInbox()
        inner.withLock { $0.lentTo = inbox }
        return ScannerControl.Channel(send: { port.write($0) }, inbox: inbox, release: { [weak self] in
            self?.inner.withLock { $0.lentTo = nil }
        })
    }

    private func wire() {
        switch source {
        case .serial(let p):
            p.onReceive { [weak self] bytes in self?.received(bytes) }
            p.onStateChange { [weak self] state in
                switch state {
                case .open, .reopened: self?.emit([.opened])
                case .disconnected(let reason): self?.lost(reason)
                case .closed: break
                }
            }
        case .node(let r):
            r.onReceive { [weak self] bytes in self?.received(bytes) }
            r.onStateChange { [weak self] state in
                switch state {
                case .open: self?.emit([.opened])
                case .disconnected(let reason): self?.lost(reason)
                case .closed: break
                }
            }
        }
    }

    private func now(eventClock: Bool) -> Duration {
        var ts = timespec()
        clock_gettime(eventClock ? CLOCK_REALTIME : CLOCK_MONOTONIC, &ts)
        return .seconds(Int64(ts.tv_sec)) + .nanoseconds(Int64(ts.tv_nsec))
    }

    private func received(_ bytes: [UInt8]) {
        if let inbox = inner.withLock({ $0.lentTo }) {
            inbox.deliver(bytes)
            return
        }
        let events = inner.withLock { s -> [ScannerEvent] in
            let t = now(eventClock: s.decoder.usesEventTimestamps)
            return process(s.decoder.feed(bytes, at: t), state: &s, at: now(eventClock: false))
        }
        emit(events)
        rescheduleIdle()
    }

    private func lost(_ reason: String) {
        let events = inner.withLock { s -> [ScannerEvent] in
            s.lentTo?.close()
            return process(s.decoder.deviceLost(), state: &s, at: now(eventClock: false))
        }
        emit(events + [.closed(reason: reason)])
    }

    /// Counts outcomes and applies the duplicate window (on the monotonic clock).
    private func process(_ outcomes: [ScanOutcome], state s: inout Inner, at monotonic: Duration) -> [ScannerEvent] {
        s.counters.record(outcomes)
        return outcomes.map { outcome in
            switch outcome {
            case .rejected(let r): return .rejected(r)
            case .scan(let scan):
                s.lastScanAt = Date()
                if s.filter.admit(scan, at: monotonic) { return .scan(scan) }
                s.counters.recordDuplicate()
                return .duplicate(scan)
            }
        }
    }

    /// One timer, only while input is partial, at the decoder's timeout.
    private func rescheduleIdle() {
        let (old, timeout) = inner.withLock { s -> (EventLoop.TimerHandle?, Duration?) in
            defer { s.timer = nil }
            return (s.timer, s.decoder.pendingTimeout)
        }
        if let old { _ = loop.cancel(old) }
        guard let timeout else { return }
        let timer = loop.schedule(after: timeout) { [weak self] in
            guard let self else { return }
            let events = inner.withLock { s -> [ScannerEvent] in
                s.timer = nil
                let t = now(eventClock: s.decoder.usesEventTimestamps)
                return process(s.decoder.idle(at: t), state: &s, at: now(eventClock: false))
            }
            emit(events)
            rescheduleIdle()
        }
        inner.withLock { $0.timer = timer }
    }

    private func emit(_ events: [ScannerEvent]) {
        guard !events.isEmpty else { return }
        let handlers = inner.withLock { $0.handlers }
        for e in events {
            switch e {
            case .scan(let s): logger.info("scan", metadata: ["symbology": "\(s.symbology.rawValue)", "bytes": "\(s.bytes.count)"])
            case .rejected(let r): logger.notice("scan rejected: \(r.reason)", metadata: ["reason": "\(r.reason.code)"])
            case .duplicate: logger.debug("duplicate scan suppressed")
            case .opened: logger.info("scanner open")
            case .closed(let reason): logger.warning("scanner lost: \(reason)")
            }
            for h in handlers { h(e) }
        }
    }
}

public enum ScannerRunnerError: Error, Sendable, CustomStringConvertible {
    case notSerial(String)
    case notConfigured(String, known: [String])

    public var description: String {
        switch self {
        case .notSerial(let id): return "\(id): only serial scanners are configured through a command set"
        case .notConfigured(let name, let known):
            return "no scanner \"\(name)\" runs in this daemon (configured scanners: \(known.isEmpty ? "none" : known.joined(separator: ", ")))"
        }
    }
}
