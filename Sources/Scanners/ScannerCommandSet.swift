/// The configuration command sets `checkpointctl scanner … --command-set` speaks.
public enum ScannerCommandSet: String, Sendable, Hashable, CaseIterable, Codable {
    /// Grow GM65 / GM805 serial modules: `7E 00 type len addrH addrL data CRC`.
    case gm65
    /// Honeywell `SYN M CR` menu commands.
    case honeywell
    /// Zebra Simple Serial Interface (SSI).
    case zebraSSI = "zebra-ssi"
}

/// One change a technician asks of a scanner.
public enum ScannerConfigurationAction: Sendable, Hashable, CustomStringConvertible {
    /// Send a symbology identifier before each payload, or not: the AIM identifier, or — on a model
    /// without AIM identifiers (Grow GM65/GM805) — the vendor's code id (`GM65CommandSet`).
    case aimIdentifiers(Bool)
    /// The bytes sent after each payload (empty: none).
    case suffix([UInt8])
    /// Make the current settings survive a power cycle.
    case save

    public var description: String {
        switch self {
        case .aimIdentifiers(let on): return "AIM identifiers \(on ? "on" : "off")"
        case .suffix(let s): return s.isEmpty ? "no suffix" : "suffix \(HexBytes.format(s))"
        case .save: return "save settings to flash"
        }
    }
}

/// One request/reply pair of a configuration conversation, as shown to the technician.
public struct ConfigurationExchange: Sendable, Hashable, Codable {
    public var request: [UInt8]
    public var reply: [UInt8]
    /// What the reply means, e.g. `ACK`, `value 0x80`, `NAK (data out of range)`.
    public var meaning: String

    public init(request: [UInt8], reply: [UInt8], meaning: String) {
        self.request = request
        self.reply = reply
        self.meaning = meaning
    }
}

/// The result of configuring a scanner: every exchange, and whether the device accepted all.
public struct ConfigurationReport: Sendable, Hashable, Codable {
    public var commandSet: String
    public var action: String
    public var exchanges: [ConfigurationExchange]
    public var accepted: Bool
    /// The device's refusal or the protocol error, when not accepted.
    public var failure: String?

    public init(commandSet: String, action: String, exchanges: [ConfigurationExchange], accepted: Bool, failure: String? = nil) {
        self.commandSet = commandSet
        self.action = action
        self.exchanges = exchanges
        self.accepted = accepted
        self.failure = failure
    }

    /// Lines for the technician: each request and reply in hex with its meaning.
    public var text: String {
        var lines = ["\(commandSet): \(action)"]
        for e in exchanges {
            lines.append("  → \(HexBytes.format(e.request))")
            lines.append("  ← \(HexBytes.format(e.reply))  \(e.meaning)")
        }
        lines.append(accepted ? "accepted" : "FAILED: \(failure ?? "refused")")
        return lines.joined(separator: "\n")
    }
}

/// Hex formatting and parsing of byte strings (`0D 0A`, `0d0a`, `0x0D,0x0A`).
public enum HexBytes {
    public static func format(_ bytes: some Sequence<UInt8>) -> String {
        bytes.map { b in
            let s = String(b, radix: 16, uppercase: true)
            return b < 0x10 ? "0" + s : s
        }.joined(separator: " ")
    }

    /// Parses hex digits, ignoring spaces, commas and `0x` prefixes; nil if malformed.
    public static func parse(_ text: String) -> [UInt8]? {
        let cleaned = text.replacingOccurrences(of: "0x", with: "").replacingOccurrences(of: "0X", with: "")
            .filter { !" ,:-\t".contains($0) }
        guard cleaned.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        var it = cleaned.makeIterator()
        while let h = it.next(), let l = it.next() {
            guard let v = UInt8(String([h, l]), radix: 16) else { return nil }
            out.append(v)
        }
        return out
    }
}
