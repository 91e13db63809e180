import CheckpointCore
import DeviceIO
import IDCards
import Logging

/// Runs one `IDReaderSession` on a `SerialPort` in an `EventLoop`: bytes read go into the
/// session, its frames are written, one loop timer is kept at the session's next deadline, and
/// port changes (unplug, reopen) become `closed` / `opened`. No thread of its own.
///
/// Logging names no card content: a card read is logged as such, with counters only.
/// Events reach `onEvent` handlers on the loop thread.
///
/// Concurrency: session, timer and handlers live in one `Mutex`.
public final class IDReaderRunner: Sendable {
    public typealias EventHandler = @Sendable (IDReaderEvent) -> Void

    /// The configured device id.
    public let id: String
    public let port: SerialPort
    public let loop: EventLoop
    private let logger: Logger
    private let inner: Mutex<Inner>

    private struct Inner {
        var session: IDReaderSession
        var timer: EventLoop.TimerHandle?
        var handlers: [EventHandler] = []
    }

    public init(id: String, path: String, settings: SerialSettings, session: IDReaderSession, loop: EventLoop,
                reopenPolicy: SerialPort.ReopenPolicy = .standard, logger: Logger = Logger(label: "checkpoint.idreader")) throws {
        self.id = id
        self.loop = loop
        var logger = logger
        logger[metadataKey: "device"] = "\(id)"
        logger[metadataKey: "model"] = "\(session.model)"
        self.logger = logger
        port = try SerialPort(path: path, settings: settings, loop: loop, reopenPolicy: reopenPolicy, logger: logger)
        inner = Mutex(Inner(session: session))
    }

    public func onEvent(_ handler: @escaping EventHandler) { inner.withLock { $0.handlers.append(handler) } }

    /// A snapshot of the session (state, statistics).
    public var session: IDReaderSession { inner.withLock { $0.session } }

    /// State and counters, for the control socket.
    public var status: IDReaderStatus {
        let s = session
        return IDReaderStatus(id: id, model: s.model, state: s.state.description, statistics: s.statistics)
    }

    /// Starts the port (an absent device is picked up when it appears).
    public func start() {
        connectPort()
        port.start()
    }

    /// Opens the port now or throws.
    public func open() throws {
        connectPort()
        try port.open()
    }

    public func stop() {
        port.close()
        if let t = inner.withLock({ s -> EventLoop.TimerHandle? in defer { s.timer = nil }; return s.timer }) { _ = loop.cancel(t) }
    }

    private func connectPort() {
        port.onReceive { [weak self] bytes in self?.apply { $0.received(bytes, now: MonotonicClock.nowMs()) } }
        port.onStateChange { [weak self] state in
            guard let self else { return }
            let work: @Sendable () -> Void = { [weak self] in
                switch state {
                case .open, .reopened: self?.apply { $0.opened(now: MonotonicClock.nowMs()) }
                case .disconnected, .closed: self?.apply { $0.closed(now: MonotonicClock.nowMs()) }
                }
            }
            if loop.inLoopThread { work() } else { _ = loop.execute(work) }
        }
    }

    /// One session input: write its frames, re-arm the timer at its deadline, report its events.
    private func apply(_ input: (inout IDReaderSession) -> IDReaderOutput) {
        let (output, previous, deadline, handlers) = inner.withLock { s in
            let output = input(&s.session)
            defer { s.timer = nil }
            return (output, s.timer, s.session.nextDeadline, s.handlers)
        }
        if let previous { _ = loop.cancel(previous) }
        output.send.forEach { port.write($0) }
        if let deadline {
            let timer = loop.schedule(after: .milliseconds(max(0, deadline - MonotonicClock.nowMs()))) { [weak self] in
                self?.apply { $0.timerFired(now: MonotonicClock.nowMs()) }
            }
            inner.withLock { $0.timer = timer }
        }
        for event in output.events {
            record(event)
            handlers.forEach { $0(event) }
        }
    }

    private func record(_ event: IDReaderEvent) {
        switch event {
        case .card: logger.info("ID card read")
        case .cardRemoved: logger.debug("ID card taken away")
        case .rejected(let r): logger.notice("rejected: \(r)")
        case .interrupted(let command, let status):
            logger.notice("card read interrupted at \(command)\(status.map { ": \($0)" } ?? " (no answer)")")
        case .readerState(let state):
            if state.isWorking { logger.info("ID reader \(state)") } else { logger.warning("ID reader \(state)") }
        case .timedOut(let command, let attempt, let retry):
            logger.notice("no answer to \(command) (attempt \(attempt + 1))\(retry ? ", retrying" : "")")
        }
    }
}
