import CheckpointConfig
import IDCards

/// Reading `IDReaderParameters` from an ID reader model's `[protocol]` table (the type is in IDCards).
extension IDReaderParameters {
    /// The `[protocol]` keys of the `sam-id` family.
    public static let keys: Set<String> = ["pollMs", "timeoutMs", "readTimeoutMs", "retries", "removeAfterPolls"]

    /// Reads and validates `table`: every key optional, unknown keys rejected.
    public static func parse(_ table: ConfigTable) throws(ConfigError) -> IDReaderParameters {
        try table.rejectUnknownKeys(keys)
        return IDReaderParameters(pollMs: try table.int("pollMs", default: 250, in: 50...10_000),
                                  timeoutMs: try table.int("timeoutMs", default: 500, in: 10...60_000),
                                  readTimeoutMs: try table.int("readTimeoutMs", default: 3000, in: 100...60_000),
                                  retries: try table.int("retries", default: 2, in: 0...10),
                                  removeAfterPolls: try table.int("removeAfterPolls", default: 2, in: 1...20))
    }
}
