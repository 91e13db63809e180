import CheckpointCore

/// Reading `InputLineSpec` and `DoorContactConfiguration` from a lane's configuration (the types
/// are in CheckpointCore).
extension InputLineSpec {
    /// The keys of an input line's inline table.
    public static let keys: Set<String> = OutputLineSpec.addressKeys.union(["bias", "debounceMs"])

    /// Reads the input line at `key` of `table`; nil if absent. `extraKeys` are other keys the
    /// caller reads from the same table (e.g. `heldOpenSeconds`).
    public static func parse(_ table: ConfigTable, key: String, extraKeys: Set<String> = []) throws(ConfigError) -> InputLineSpec? {
        guard let address = try OutputLineSpec.parse(table, key: key, extraKeys: extraKeys.union(["bias", "debounceMs"])),
              let t = try table.table(key) else { return nil }
        return InputLineSpec(address: address.address, activeLow: address.activeLow,
                             bias: try t.enumeration("bias", Bias.self) ?? .asIs,
                             debounceMs: try t.int("debounceMs", default: defaultDebounceMs, in: 0...1_000),
                             source: address.source)
    }
}

extension DoorContactConfiguration {
    /// Reads `doorContact` of a lane's table; nil if absent.
    public static func parse(_ table: ConfigTable, key: String = "doorContact") throws(ConfigError) -> DoorContactConfiguration? {
        guard let line = try InputLineSpec.parse(table, key: key, extraKeys: ["heldOpenSeconds", "releaseWindowMs"]),
              let t = try table.table(key) else { return nil }
        return DoorContactConfiguration(line: line,
                                        heldOpenSeconds: try t.int("heldOpenSeconds", default: defaultHeldOpenSeconds, in: 1...86_400),
                                        releaseWindowMs: try t.int("releaseWindowMs", default: defaultReleaseWindowMs, in: 0...600_000))
    }
}
