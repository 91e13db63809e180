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
}
