/// Which GPIO input line to watch and how (docs/gate.md "The person on duty's inputs"), as written
/// in a lane's configuration:
///
///     exitButton = { chip = "gpiochip0", offset = 22, activeLow = true, bias = "pullUp", debounceMs = 20 }
///     doorContact = { name = "DOOR_1", activeLow = true, heldOpenSeconds = 30 }
///     exitButton = { simulated = "button" }     # a simulated line (tests, demos, boxes without GPIO)
///
/// Addressed as output lines are (`OutputLineSpec.Address`). `active` is the logical level that
/// means "pressed" or "door open"; `activeLow` says whether it is electrically low.
public struct InputLineSpec: Sendable, Hashable {
    /// The pull resistor the kernel is asked to set (libgpiod ≥ 1.5; `asIs` leaves the line's).
    public enum Bias: String, Sendable, Hashable, CaseIterable {
        case asIs, pullUp, pullDown, disabled
    }

    public var address: OutputLineSpec.Address
    public var activeLow: Bool
    public var bias: Bias
    /// How long a level must hold before it counts, in ms.
    public var debounceMs: Int
    /// The config key path it came from, for messages.
    public var source: String

    public static let defaultDebounceMs = 20

    public init(address: OutputLineSpec.Address, activeLow: Bool = false, bias: Bias = .asIs,
                debounceMs: Int = defaultDebounceMs, source: String = "") {
        self.address = address
        self.activeLow = activeLow
        self.bias = bias
        self.debounceMs = debounceMs
        self.source = source
    }
}
