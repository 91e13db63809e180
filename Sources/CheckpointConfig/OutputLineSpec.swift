/// Which GPIO output line to drive and how (docs/contracts.md §6), as written in the configuration:
///
///     relay = { chip = "gpiochip0", offset = 17, activeLow = false }
///     amplifier = { name = "AMP_EN" }            # a line found by its name on any chip
///     relay = { simulated = "relay" }            # a simulated line (tests, demos, boxes without GPIO)
///
/// `inactive` is always the safe level; `activeLow` says whether active is electrically low.
public struct OutputLineSpec: Sendable, Hashable {
    public enum Address: Sendable, Hashable {
        /// A line by chip (`gpiochip0` or `/dev/gpiochip0`) and offset.
        case chipOffset(chip: String, offset: Int)
        /// A line by its name (the device tree / gpio-line-names label).
        case named(String)
        /// A simulated line that records edges; the string names it in logs.
        case simulated(String)
    }

    public var address: Address
    public var activeLow: Bool
    /// The config key path it came from, for messages.
    public var source: String

    public init(address: Address, activeLow: Bool = false, source: String = "") {
        self.address = address
        self.activeLow = activeLow
        self.source = source
    }

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
