/// Request/response timing of a thermometer, from the model's `[protocol]` table (all families;
/// read by DeviceFamilies):
///
///     pollMs = 1000     # one request every pollMs (for a streaming device: the expected period)
///     timeoutMs = 300   # a request unanswered this long is retried
///     retries = 2       # retries before the poll counts as "no response"
///     interByteGapMs = 50  # a partial frame followed by this much silence is discarded
///
/// `interByteGapMs`: a device sends a frame's bytes back to back (at 9600 baud a byte takes about
/// 1 ms; a USB adapter delivers them in chunks at most its latency timer, 16 ms, apart), so a gap
/// this long inside a frame means the bytes before it were noise or a cut-off frame: they are
/// discarded (counted) and the bytes after the gap start afresh. 50 ms exceeds Modbus RTU's
/// 3.5-character inter-frame silence at every rate from 1200 baud up.
public struct PollingParameters: Sendable, Hashable {
    /// Interval between polls, ms (50…3,600,000).
    public var pollMs: Int
    /// Reply timeout, ms (10…60,000).
    public var timeoutMs: Int
    /// Retries after a timeout (0…10).
    public var retries: Int
    /// Silence inside a frame after which its partial bytes are discarded, ms (5…5,000).
    public var interByteGapMs: Int

    public init(pollMs: Int = 1000, timeoutMs: Int = 300, retries: Int = 2, interByteGapMs: Int = 50) {
        self.pollMs = pollMs
        self.timeoutMs = timeoutMs
        self.retries = retries
        self.interByteGapMs = interByteGapMs
    }
}
