/// Honeywell menu commands over a serial line: `SYN M CR` (16 4D 0D), then one or more commands
/// separated by `;`, each a 3-letter tag, 3-character subtag and data, and a terminator: `!` for a
/// volatile (RAM) change, `.` to store it in flash. Data `?` asks the current value, `^` the
/// default, `*` the range. The scanner answers each command with the command (and value, for
/// queries) followed by ACK (06, done), ENQ (05, unknown tag/subtag) or NAK (15, data out of range),
/// then the terminator.
///
/// Used here: prefix `PREBK2` + `99` (all symbologies) + `5C80` (the AIM identifier) / `PRECA2`
/// (clear all prefixes); suffix `SUFBK2` + `99` + hex characters / `SUFCA2`. "Save" reads the
/// current prefix and suffix and writes them back with `.`.
public struct HoneywellMenuCommandSet: Sendable, Hashable {
    public static let ack: UInt8 = 0x06
    public static let enq: UInt8 = 0x05
    public static let nak: UInt8 = 0x15
    public static let introducer: [UInt8] = [0x16, 0x4D, 0x0D]

    /// Prefix data that adds the AIM identifier to every symbology.
    public var aimPrefixData: String

    public init(aimPrefixData: String = "995C80") { self.aimPrefixData = aimPrefixData }

    /// One request: the introducer, commands joined by `;`, and the terminator.
    public static func request(_ commands: [String], permanent: Bool) -> [UInt8] {
        introducer + Array(commands.joined(separator: ";").utf8) + [UInt8(ascii: permanent ? "." : "!")]
    }

    /// One reply element: the echoed command (with value) and its status byte.
    public struct ReplyItem: Sendable, Hashable {
        public var text: String
        public var status: UInt8
        public var statusName: String {
            switch status {
            case ack: return "ACK"
            case enq: return "ENQ (unknown tag or subtag)"
            case nak: return "NAK (data out of range)"
            default: return "status \(status)"
            }
        }
    }

    /// Parses one complete reply from `buffer`: nil while incomplete. Bytes before the first
    /// printable tag (e.g. stray scan data) are skipped only up to the reply's end.
    public static func parseReply(_ buffer: [UInt8]) -> (items: [ReplyItem], consumed: Int)? {
        var i = 0
        var items: [ReplyItem] = []
        var text: [UInt8] = []
        while i < buffer.count {
            let b = buffer[i]
            if b == ack || b == enq || b == nak {
                items.append(ReplyItem(text: String(decoding: text, as: UTF8.self), status: b))
                text = []
                guard i + 1 < buffer.count else { return nil }
                let t = buffer[i + 1]
                if t == UInt8(ascii: ";") { i += 2; continue }
                if t == UInt8(ascii: "!") || t == UInt8(ascii: ".") { return (items, i + 2) }
                i += 1
                continue
            }
            text.append(b)
            i += 1
        }
        return nil
    }

    private static func parser(_ label: String, then: (@Sendable ([ReplyItem]) -> [ScriptedSession.Step])? = nil) -> ScriptedSession.ReplyParser {
        { buffer in
            guard let (items, consumed) = parseReply(buffer) else { return nil }
            let meaning = items.map { "\($0.text) \($0.statusName)" }.joined(separator: "; ")
            let ok = !items.isEmpty && items.allSatisfy { $0.status == ack }
            return .init(consumed: consumed, meaning: "\(label): \(meaning)", accepted: ok, next: ok ? (then?(items) ?? []) : [])
        }
    }

    public func session(for action: ScannerConfigurationAction) throws(ScannerConfigurationError) -> any ScannerConfigurationSession {
        let steps: [ScriptedSession.Step]
        switch action {
        case .aimIdentifiers(true):
            steps = [.init(request: Self.request(["PRECA2", "PREBK2" + aimPrefixData], permanent: false), parse: Self.parser("AIM on"))]
        case .aimIdentifiers(false):
            steps = [.init(request: Self.request(["PRECA2"], permanent: false), parse: Self.parser("AIM off"))]
        case .suffix(let s):
            var commands = ["SUFCA2"]
            if !s.isEmpty { commands.append("SUFBK299" + HexBytes.format(s).replacingOccurrences(of: " ", with: "")) }
            steps = [.init(request: Self.request(commands, permanent: false), parse: Self.parser("suffix"))]
        case .save:
            steps = [.init(request: Self.request(["PREBK2?", "SUFBK2?"], permanent: false), parse: Self.parser("query") { items in
                var commands = ["PRECA2", "SUFCA2"]
                for item in items where item.text.count > 6 {
                    commands.append(String(item.text.filter { $0 != "?" }))
                }
                return [.init(request: Self.request(commands, permanent: true), parse: Self.parser("store to flash"))]
            })]
        }
        return ScriptedSession(commandSet: ScannerCommandSet.honeywell.rawValue, action: action.description, steps: steps)
    }
}
