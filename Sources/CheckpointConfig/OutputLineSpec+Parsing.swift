import CheckpointCore

/// Reading `OutputLineSpec` from the configuration file (the type is in CheckpointCore).
extension OutputLineSpec {
    /// Keys besides the address that a caller may allow in the same inline table (e.g. `pulseMs`).
    public static let addressKeys: Set<String> = ["chip", "offset", "name", "simulated", "activeLow"]

    /// Reads the line at `key` of `table`; nil if absent. `extraKeys` are other keys the caller
    /// reads from the same table (e.g. `pulseMs`), so they are not reported as unknown.
    public static func parse(_ table: ConfigTable, key: String, extraKeys: Set<String> = []) throws(ConfigError) -> OutputLineSpec? {
        guard let t = try table.table(key) else { return nil }
        try t.rejectUnknownKeys(addressKeys.union(extraKeys))
        let activeLow = try t.bool("activeLow", default: false)
        let address: Address
        if let sim = try t.string("simulated") {
            address = .simulated(sim)
        } else if let name = try t.string("name") {
            if t.contains("chip") || t.contains("offset") { throw t.error("name", "give either name or chip + offset, not both") }
            address = .named(name)
        } else if let chip = try t.string("chip") {
            address = .chipOffset(chip: chip, offset: try t.requiredInt("offset", in: 0...1023))
        } else {
            throw t.error("needs chip + offset, name, or simulated")
        }
        return OutputLineSpec(address: address, activeLow: activeLow, source: t.path)
    }
}
