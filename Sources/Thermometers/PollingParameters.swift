import CheckpointConfig

/// Request/response timing of a thermometer, from the model's `[protocol]` table (all families):
///
///     pollMs = 1000     # one request every pollMs (for a streaming device: the expected period)
///     timeoutMs = 300   # a request unanswered this long is retried
///     retries = 2       # retries before the poll counts as "no response"
public struct PollingParameters: Sendable, Hashable {
    /// Interval between polls, ms (50…3,600,000).
    public var pollMs: Int
    /// Reply timeout, ms (10…60,000).
    public var timeoutMs: Int
    /// Retries after a timeout (0…10).
    public var retries: Int

    public static let keys: Set<String> = ["pollMs", "timeoutMs", "retries"]

    public init(pollMs: Int = 1000, timeoutMs: Int = 300, retries: Int = 2) {
        self.pollMs = pollMs
        self.timeoutMs = timeoutMs
        self.retries = retries
    }

    public static func parse(_ table: ConfigTable) throws(ConfigError) -> PollingParameters {
        PollingParameters(pollMs: try table.int("pollMs", default: 1000, in: 50...3_600_000),
                          timeoutMs: try table.int("timeoutMs", default: 300, in: 10...60_000),
                          retries: try table.int("retries", default: 2, in: 0...10))
    }
}
