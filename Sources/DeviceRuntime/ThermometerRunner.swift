import CheckpointCore
import DeviceIO
import Logging
import Thermometers

/// Runs one `ThermometerSession` on a `SerialPort` in an `EventLoop`: bytes read go into the
/// session, its commands are written, one loop timer is kept at the session's next deadline, and
/// port state changes (unplug, reopen) become `closed`/`opened`. No thread of its own, no polling.
///
/// Events are logged (readings at debug, rejections and timeouts at notice/warning) and passed to
/// `onEvent` on the loop thread.
///
/// Concurrency: the session and timer live in one `Mutex` and are touched
/// only on the loop thread (handlers from other threads hop onto it).
public final class ThermometerRunner: Sendable {
    public typealias EventHandler = @Sendable (ThermometerEvent) -> Void

    /// The configured device id (or the path for an ad-hoc probe).
    public let id: String
    public let port: SerialPort
    public let loop: EventLoop
    private let logger: Logger
    private let inner: Mutex<Inner>

    private struct Inner {
        var session: ThermometerSession
        var timer: EventLoop.TimerHandle?
        var handlers: [EventHandler] = []
        var waiters: [UInt64: CheckedContinuation<TemperatureReading?, Never>] = [:]
        var nextWaiter: UInt64 = 0
        var stopped = false
    }

    /// Binds `session` to the serial device at `path` (a device node or a stable symlink).
    public init(id: String, path: String, settings: SerialSettings, session: ThermometerSession, loop: EventLoop,
                exclusive: Bool = true, reopenPolicy: SerialPort.ReopenPolicy = .standard,
                logger: Logger = Logger(label: "checkpoint.thermometer")) throws {
        self.id = id
        self.loop = loop
        var logger = logger
        logger[metadataKey: "device"] = "\(id)"
        logger[metadataKey: "model"] = "\(session.model)"
        self.logger = logger
        self.port = try SerialPort(path: path, settings: settings, loop: loop, exclusive: exclusive,
                                   reopenPolicy: reopenPolicy, logger: logger)
        self.inner = Mutex(Inner(session: session))
    }

    /// Adds a handler for every event (on the loop thread).
    public func onEvent(_ handler: @escaping EventHandler) {
        inner.withLock { $0.handlers.append(handler) }
    }

    /// Starts the port (a device absent now is picked up when it appears) and the session.
    public func start() {
        wire()
        port.start()
    }

    /// Opens the port now or throws (for `checkpointctl probe`).
    public func open() throws {
        wire()
        try port.open()
    }

    /// Closes the port and stops the timer; pending `nextReading` calls return nil.
    public func stop() {
        port.close()
        onLoop { [self] in
            let (timer, waiters) = inner.withLock { inner in
                inner.stopped = true
                defer { inner.timer = nil; inner.waiters = [:] }
                return (inner.timer, inner.waiters)
            }
            if let timer { _ = loop.cancel(timer) }
            for w in waiters.values { w.resume(returning: nil) }
        }
    }

    /// A snapshot of the session (statistics, last reading, polling).
    public var session: ThermometerSession { inner.withLock { $0.session } }

    /// Waits for the next accepted reading, up to `timeout`; nil if none came.
    public func nextReading(timeout: Duration) async -> TemperatureReading? {
        await withCheckedContinuation { (continuation: CheckedContinuation<TemperatureReading?, Never>) in
            let key = inner.withLock { inner -> UInt64? in
                if inner.stopped { return nil }
                inner.nextWaiter += 1
                inner.waiters[inner.nextWaiter] = continuation
                return inner.nextWaiter
            }
            guard let key else { continuation.resume(returning: nil); return }
            _ = loop.schedule(after: timeout) { [self] in
                inner.withLock { $0.waiters.removeValue(forKey: key) }?.resume(returning: nil)
            }
        }
    }

    private func wire() {
        port.onReceive { [self] bytes in
            step { $0.received(bytes, now: MonotonicClock.nowMs()) }
        }
        port.onStateChange { [self] state in
            onLoop { [self] in
                switch state {
                case .open, .reopened:
                    if state == .reopened { logger.notice("thermometer is back") }
                    step { $0.opened(now: MonotonicClock.nowMs()) }
                case .disconnected(let reason):
                    logger.warning("thermometer lost: \(reason)")
                    step { $0.closed(now: MonotonicClock.nowMs()) }
                case .closed:
                    step { $0.closed(now: MonotonicClock.nowMs()) }
                }
            }
        }
    }

    private func onLoop(_ work: @escaping @Sendable () -> Void) {
        if loop.inLoopThread { work() } else { _ = loop.execute(work) }
    }

    /// Applies one session input: writes its commands, re-arms the timer, reports its events.
    private func step(_ input: (inout ThermometerSession) -> SessionOutput) {
        let (output, oldTimer, deadline, handlers) = inner.withLock { inner in
            let output = input(&inner.session)
            defer { inner.timer = nil }
            return (output, inner.timer, inner.session.nextDeadline, inner.handlers)
        }
        if let oldTimer { _ = loop.cancel(oldTimer) }
        for bytes in output.send { port.write(bytes) }
        if let deadline {
            let delay = max(0, deadline - MonotonicClock.nowMs())
            let timer = loop.schedule(after: .milliseconds(delay)) { [self] in
                step { $0.timerFired(now: MonotonicClock.nowMs()) }
            }
            inner.withLock { $0.timer = timer }
        }
        for event in output.events {
            log(event)
            if case .reading(let reading, _) = event {
                let waiters = inner.withLock { inner in
                    defer { inner.waiters = [:] }
                    return inner.waiters
                }
                for w in waiters.values { w.resume(returning: reading) }
            }
            for h in handlers { h(event) }
        }
    }

    private func log(_ event: ThermometerEvent) {
        switch event {
        case .reading(let r, let ms):
            logger.debug("\(formatCelsius(r.celsius)) °C \(r.kind.rawValue) (raw \(formatRaw(r.raw))\(ms.map { ", \($0) ms" } ?? ""))")
        case .rejected(let r):
            logger.notice("rejected: \(r)")
        case .timedOut(let attempt, let retry):
            logger.notice("no reply to request (attempt \(attempt + 1))\(retry ? ", retrying" : ", giving up until the next poll")")
        case .silent(let ms):
            logger.warning("no reading for \(ms) ms")
        case .connected, .disconnected:
            break // the port's own state change is logged above
        }
    }
}

/// `36.62` — two decimals.
public func formatCelsius(_ c: Double) -> String {
    let hundredths = Int((c * 100).rounded())
    let sign = hundredths < 0 ? "-" : ""
    let a = abs(hundredths)
    let frac = a % 100
    return "\(sign)\(a / 100).\(frac < 10 ? "0" : "")\(frac)"
}
