import CheckpointCore

/// What a thermometer session reports to whoever runs it (logged, counted, forwarded to the gate).
public enum ThermometerEvent: Sendable, Hashable {
    /// A reading in °C after both calibration offsets. `responseMs` is the time from the request
    /// (first attempt) to the reply, nil for a streaming device or an unsolicited frame.
    case reading(TemperatureReading, responseMs: Int64?)
    /// Bytes that did not become a reading, with why.
    case rejected(Rejection)
    /// A request went unanswered for `timeoutMs`; `willRetry` says whether it is sent again.
    case timedOut(attempt: Int, willRetry: Bool)
    /// A streaming device printed nothing for `pollMs + timeoutMs`.
    case silent(forMs: Int64)
    /// The port opened (first time, or re-attached after a loss); input buffered before it was
    /// discarded, so what follows is fresh.
    case connected
    /// The port was lost (hangup, EIO, device removed): the thermometer is missing from now on,
    /// until it reads again.
    case disconnected
}

/// Everything a session wants done after one input: bytes to write (in order) and events.
/// The runner also re-arms its timer at the session's `nextDeadline`.
public struct SessionOutput: Sendable, Hashable {
    public var send: [[UInt8]] = []
    public var events: [ThermometerEvent] = []
    public init(send: [[UInt8]] = [], events: [ThermometerEvent] = []) {
        self.send = send
        self.events = events
    }
}
