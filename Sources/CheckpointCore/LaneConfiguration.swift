/// One `[[lane]]` section (docs/contracts.md §5): a passage with its own scanner(s), thermometer,
/// relay and indicator lines. One box may serve several lanes.
///
///     [[lane]]
///     id = "north-in"
///     direction = "in"                  # "in" or "out"
///     scanners = ["scanner-north"]      # [[device]] ids (or: scanner = "scanner-north")
///     thermometer = "thermo-north"      # a [[device]] id; omit for a lane without one
///     idReaders = ["idcard-north"]      # ID card readers ([[device]] ids); a lane needs a scanner or an ID reader
///     registration = true               # visitors' cards here are registered (name, number, address to the store)
///     relay = { chip = "gpiochip0", offset = 17, pulseMs = 800 }
///     indicators = { green = { name = "LED_GREEN" }, red = { simulated = "red" }, showMs = 3000 }
///     exitButton = { chip = "gpiochip0", offset = 22, activeLow = true, debounceMs = 20 }
///     doorContact = { name = "DOOR_1", activeLow = true, heldOpenSeconds = 30 }
public struct LaneConfiguration: Sendable, Hashable {
    public var id: String
    public var direction: Direction
    /// `[[device]]` ids of the scanners that serve this lane (at least one).
    public var scanners: [String]
    /// The `[[device]]` id of the lane's thermometer; nil for a lane without one.
    public var thermometer: String?
    /// `[[device]]` ids of the lane's ID card readers (may be empty).
    public var idReaders: [String] = []
    /// True: a visitor's card read here keeps its registration fields in the entry.
    public var registration = false
    /// The gate relay; nil for a lane without one (e.g. a turnstile opened by hand).
    public var relay: OutputLineSpec?
    /// How long the relay is held active for one admission (ms).
    public var relayPulseMs: Int
    /// Lit for `indicatorMs` after an admission.
    public var greenIndicator: OutputLineSpec?
    /// Lit for `indicatorMs` after any other decision.
    public var redIndicator: OutputLineSpec?
    /// How long an indicator stays lit (ms).
    public var indicatorMs: Int
    /// The person on duty's exit (request-to-exit) button: a press opens the lane as `manualOpen`.
    public var exitButton: InputLineSpec?
    /// The lane's door contact: door alerts (forced, held open).
    public var doorContact: DoorContactConfiguration?

    public static let defaultRelayPulseMs = 800
    public static let defaultIndicatorMs = 3_000

    public init(id: String, direction: Direction, scanners: [String], thermometer: String?, relay: OutputLineSpec? = nil,
                relayPulseMs: Int = defaultRelayPulseMs, greenIndicator: OutputLineSpec? = nil,
                redIndicator: OutputLineSpec? = nil, indicatorMs: Int = defaultIndicatorMs) {
        self.id = id
        self.direction = direction
        self.scanners = scanners
        self.thermometer = thermometer
        self.relay = relay
        self.relayPulseMs = relayPulseMs
        self.greenIndicator = greenIndicator
        self.redIndicator = redIndicator
        self.indicatorMs = indicatorMs
    }
}
