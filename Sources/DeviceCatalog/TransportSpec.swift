import CheckpointConfig
import CheckpointCore

/// How the product reaches a device model: the `[transport]` table of a catalog file.
///
///     [transport]
///     kind = "serial"        # serial | evdev | hidraw
///     baud = 9600            # serial only: one of SerialSettings.supportedBaudRates
///     dataBits = 8           # 5…8
///     parity = "none"        # none | even | odd
///     stopBits = 1           # 1 | 2
///     flowControl = "none"   # none | rtscts
///     rs485 = false          # kernel RS-485 direction control (native UARTs only)
public enum TransportSpec: Sendable, Hashable {
    case serial(SerialSettings)
    case evdev
    case hidraw

    public enum Kind: String, Sendable, Hashable, CaseIterable, Codable {
        case serial, evdev, hidraw

        /// The discovery subsystem of this transport's nodes: `tty`, `input`, `hidraw`.
        public var subsystem: String {
            switch self {
            case .serial: return "tty"
            case .evdev: return "input"
            case .hidraw: return "hidraw"
            }
        }

        /// Whether `device` is a node this transport opens: a tty for serial, a hidraw node for
        /// hidraw, and for evdev only the `event*` node of a keyboard (udev `ID_INPUT_KEYBOARD=1`) —
        /// never the `mouse*` / `js*` nodes or the event node of a USB device's mouse or consumer
        /// keys interface, which a keyboard-wedge scanner's USB device may also have.
        public func accepts(_ device: DeviceDescription) -> Bool {
            guard device.subsystem == subsystem else { return false }
            switch self {
            case .serial, .hidraw: return true
            case .evdev:
                let name = device.devnode.split(separator: "/").last.map(String.init) ?? device.devnode
                return name.hasPrefix("event") && device.properties["ID_INPUT_KEYBOARD"] == "1"
            }
        }
    }

    public var kind: Kind {
        switch self {
        case .serial: return .serial
        case .evdev: return .evdev
        case .hidraw: return .hidraw
        }
    }

    /// The termios settings of a serial transport, nil otherwise.
    public var serialSettings: SerialSettings? {
        if case .serial(let s) = self { return s }
        return nil
    }

    static let serialKeys: Set<String> = ["kind", "baud", "dataBits", "parity", "stopBits", "flowControl", "rs485"]

    /// Reads and validates a `[transport]` table.
    public static func parse(_ table: ConfigTable) throws(ConfigError) -> TransportSpec {
        guard let kind = try table.enumeration("kind", Kind.self) else { throw table.error("kind", "required key is missing") }
        switch kind {
        case .evdev, .hidraw:
            try table.rejectUnknownKeys(["kind"])
            return kind == .evdev ? .evdev : .hidraw
        case .serial:
            try table.rejectUnknownKeys(serialKeys)
            var s = SerialSettings()
            s.baudRate = try table.int("baud", default: 9600)
            guard SerialSettings.supportedBaudRates.contains(s.baudRate) else {
                throw table.error("baud", "\(s.baudRate) is not one of \(SerialSettings.supportedBaudRates.map(String.init).joined(separator: ", "))")
            }
            s.dataBits = try table.int("dataBits", default: 8, in: 5...8)
            s.parity = try table.enumeration("parity", SerialSettings.Parity.self) ?? .none
            s.stopBits = try table.int("stopBits", default: 1, in: 1...2)
            s.flowControl = try table.enumeration("flowControl", SerialSettings.FlowControl.self) ?? .none
            s.rs485 = try table.bool("rs485", default: false)
            if let problem = s.problem { throw table.error(problem) }
            return .serial(s)
        }
    }
}
