import CheckpointConfig
import Thermometers

/// Reading `PollingParameters` from a thermometer model's `[protocol]` table (the type is in Thermometers).
extension PollingParameters {
    /// The polling keys every thermometer family accepts.
    public static let keys: Set<String> = ["pollMs", "timeoutMs", "retries", "interByteGapMs"]

    /// Reads the polling keys of `table` (other keys are the family's to judge).
    public static func parse(_ table: ConfigTable) throws(ConfigError) -> PollingParameters {
        PollingParameters(pollMs: try table.int("pollMs", default: 1000, in: 50...3_600_000),
                          timeoutMs: try table.int("timeoutMs", default: 300, in: 10...60_000),
                          retries: try table.int("retries", default: 2, in: 0...10),
                          interByteGapMs: try table.int("interByteGapMs", default: 50, in: 5...5_000))
    }
}
