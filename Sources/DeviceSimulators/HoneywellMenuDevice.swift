import Scanners

/// The configuration side of a simulated Honeywell scanner: answers `SYN M CR` menu commands with
/// the echoed command and ACK / ENQ / NAK, keeps prefix and suffix settings in RAM (`!`) and flash
/// (`.`). Knows the tags this product uses: PREBK2 / PRECA2 / SUFBK2 / SUFCA2.
public struct HoneywellMenuDevice: Sendable {
    public struct Settings: Sendable, Hashable {
        /// Prefix data after `PREBK2` (e.g. `995C80`), empty for none.
        public var prefix: String = ""
        public var suffix: String = "990D"
    }

    public private(set) var active = Settings()
    public private(set) var flash = Settings()
    private var buffer: [UInt8] = []

    public init() {}

    public mutating func powerCycle() { active = flash; buffer = [] }

    /// Whether the scanner currently sends AIM identifiers, and its suffix bytes (all symbologies).
    public var sendsAIM: Bool { active.prefix.contains("5C80") }
    public var suffixBytes: [UInt8] { active.suffix.hasPrefix("99") ? HexBytes.parse(String(active.suffix.dropFirst(2))) ?? [] : [] }

    public mutating func receive(_ bytes: [UInt8]) -> [UInt8] {
        buffer += bytes
        var out: [UInt8] = []
        while true {
            guard let start = buffer.firstIndex(of: 0x16) else { buffer.removeAll(); break }
            if start > 0 { buffer.removeFirst(start) }
            guard buffer.count >= 3 else { break }
            guard buffer[1] == 0x4D, buffer[2] == 0x0D else { buffer.removeFirst(); continue }
            guard let end = buffer.firstIndex(where: { $0 == UInt8(ascii: "!") || $0 == UInt8(ascii: ".") }) else {
                if buffer.count > 512 { buffer.removeAll() }
                break
            }
            let body = String(decoding: buffer[3..<end], as: UTF8.self)
            let terminator = buffer[end]
            buffer.removeFirst(end + 1)
            out += respond(body, permanent: terminator == UInt8(ascii: "."), terminator: terminator)
        }
        return out
    }

    private mutating func respond(_ body: String, permanent: Bool, terminator: UInt8) -> [UInt8] {
        var reply: [UInt8] = []
        let commands = body.split(separator: ";", omittingEmptySubsequences: false).map(String.init)
        for (i, command) in commands.enumerated() {
            let (text, status) = apply(command, permanent: permanent)
            reply += Array(text.utf8) + [status]
            reply.append(i == commands.count - 1 ? terminator : UInt8(ascii: ";"))
        }
        return reply
    }

    private mutating func apply(_ command: String, permanent: Bool) -> (String, UInt8) {
        guard command.count >= 6 else { return (command, HoneywellMenuCommandSet.enq) }
        let tag = String(command.prefix(6))
        let data = String(command.dropFirst(6))
        func set(_ f: (inout Settings) -> Void) {
            f(&active)
            if permanent { f(&flash) }
        }
        let isHex = data.allSatisfy(\.isHexDigit) && data.count % 2 == 0
        switch (tag, data) {
        case ("PREBK2", "?"): return ("PREBK2" + active.prefix, HoneywellMenuCommandSet.ack)
        case ("SUFBK2", "?"): return ("SUFBK2" + active.suffix, HoneywellMenuCommandSet.ack)
        case ("PREBK2", "^"): return ("PREBK2", HoneywellMenuCommandSet.ack)
        case ("SUFBK2", "^"): return ("SUFBK2990D", HoneywellMenuCommandSet.ack)
        case ("PREBK2", "*"), ("SUFBK2", "*"): return (tag + "9900-99FF", HoneywellMenuCommandSet.ack)
        case ("PRECA2", ""): set { $0.prefix = "" }; return (command, HoneywellMenuCommandSet.ack)
        case ("SUFCA2", ""): set { $0.suffix = "" }; return (command, HoneywellMenuCommandSet.ack)
        case ("PREBK2", _), ("SUFBK2", _):
            // Two hex digits of symbology (99 = all), then up to 20 characters as hex pairs.
            guard isHex, data.count >= 4, data.count <= 2 + 40 else { return (command, HoneywellMenuCommandSet.nak) }
            if tag == "PREBK2" { set { $0.prefix = data } } else { set { $0.suffix = data } }
            return (command, HoneywellMenuCommandSet.ack)
        default:
            return (command, HoneywellMenuCommandSet.enq)
        }
    }
}
