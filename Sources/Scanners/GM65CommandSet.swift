/// The serial command set of Grow GM65 / GM805 scanner modules: settings live in "zone bits"
/// (bytes at 16-bit addresses) read and written with
/// `7E 00 type len addrH addrL data CRC` (type 07 read, 08 write, 09 save to flash; CRC-16/XMODEM
/// over `type … data`, high byte first); `len` counts the data bytes (for a read, the one data byte
/// is how many zone bytes to read). Replies are `02 00 status len data CRC` with status 00 for
/// success and the CRC over `status … data`.
///
/// Zone addresses and bit masks are model data (catalog `[protocol.configuration]`); the defaults
/// here are those of the Grow GM65-S User Manual V1.3, §9 (zone bits):
/// - zone 0x0060: bit 0 "allow tail" (without it no end mark is sent at all), bit 1 suffix, bit 2
///   Code ID, bit 3 prefix, bits 6–5 end mark (00 CR, 01 CR LF, 10 TAB) — so the end-mark field is
///   written with mask 0x61: CR = 0x01, CR LF = 0x21, TAB = 0x41, none = 0x00;
/// - the GM65 has no AIM identifier zone (the manual's list jumps from 0x00B2 to 0x00D9): AIM at
///   0x00D0 bit 7 is a GM861/GM812 setting. On a model without `aimZone` the "symbology
///   identifier" action switches Grow's one-character Code ID (zone 0x0060 bit 2) instead.
public struct GM65CommandSet: Sendable, Hashable {
    public static let header: [UInt8] = [0x7E, 0x00]
    public static let replyHeader: [UInt8] = [0x02, 0x00]
    public static let typeRead: UInt8 = 0x07
    public static let typeWrite: UInt8 = 0x08
    public static let typeSave: UInt8 = 0x09

    /// Zone byte holding the "send AIM identifier" bit, and that bit; nil for models without AIM
    /// identifiers (GM65, GM805).
    public var aimZone: UInt16?
    public var aimMask: UInt8
    /// Zone byte holding the "send Code ID" bit, and that bit; nil for models without Code ID.
    public var codeIDZone: UInt16?
    public var codeIDMask: UInt8
    /// Zone byte holding the end mark (suffix) field, the field's mask, and the field value for each
    /// suffix the module can send.
    public var endMarkZone: UInt16
    public var endMarkMask: UInt8
    public var endMarks: [[UInt8]: UInt8]

    public init(aimZone: UInt16? = nil, aimMask: UInt8 = 0x80, codeIDZone: UInt16? = 0x0060, codeIDMask: UInt8 = 0x04,
                endMarkZone: UInt16 = 0x0060, endMarkMask: UInt8 = 0x61,
                endMarks: [[UInt8]: UInt8] = [[0x0D]: 0x01, [0x0D, 0x0A]: 0x21, [0x09]: 0x41, []: 0x00]) {
        self.aimZone = aimZone
        self.aimMask = aimMask
        self.codeIDZone = codeIDZone
        self.codeIDMask = codeIDMask
        self.endMarkZone = endMarkZone
        self.endMarkMask = endMarkMask
        self.endMarks = endMarks
    }

    /// A command frame.
    public static func frame(type: UInt8, address: UInt16, data: [UInt8]) -> [UInt8] {
        let body = [type, UInt8(truncatingIfNeeded: data.count), UInt8(address >> 8), UInt8(address & 0xFF)] + data
        let crc = CRC16XModem.checksum(body)
        return header + body + [UInt8(crc >> 8), UInt8(crc & 0xFF)]
    }

    public static func read(_ address: UInt16, count: UInt8 = 1) -> [UInt8] { frame(type: typeRead, address: address, data: [count]) }
    public static func write(_ address: UInt16, _ data: [UInt8]) -> [UInt8] { frame(type: typeWrite, address: address, data: data) }
    public static let save: [UInt8] = frame(type: typeSave, address: 0x0000, data: [0x00])

    /// A reply frame (what the module sends; used by the simulator).
    public static func reply(status: UInt8 = 0x00, data: [UInt8]) -> [UInt8] {
        let body = [status, UInt8(truncatingIfNeeded: data.count)] + data
        let crc = CRC16XModem.checksum(body)
        return replyHeader + body + [UInt8(crc >> 8), UInt8(crc & 0xFF)]
    }

    /// A parsed reply.
    public struct Reply: Sendable, Hashable {
        /// Bytes of the buffer used, including any garbage before the header.
        public var consumed: Int
        public var status: UInt8
        public var data: [UInt8]
        public var crcValid: Bool
    }

    /// Finds the first complete reply in `buffer`; nil while incomplete.
    public static func parseReply(_ buffer: [UInt8]) -> Reply? {
        guard buffer.count >= 2 else { return nil }
        var start = 0
        while start + 1 < buffer.count && !(buffer[start] == 0x02 && buffer[start + 1] == 0x00) { start += 1 }
        guard start + 4 <= buffer.count else { return nil }
        let len = Int(buffer[start + 3])
        let end = start + 4 + len + 2
        guard end <= buffer.count else { return nil }
        let body = Array(buffer[(start + 2)..<(start + 4 + len)])
        let crc = UInt16(buffer[end - 2]) << 8 | UInt16(buffer[end - 1])
        return Reply(consumed: end, status: buffer[start + 2], data: Array(body.dropFirst(2)),
                     crcValid: CRC16XModem.checksum(body) == crc)
    }

    /// Parses one command frame from the start of `buffer` (the simulator's side): nil while
    /// incomplete; `.invalid` with the bytes to skip if it cannot be a frame.
    public enum ParsedCommand: Sendable, Hashable {
        case command(type: UInt8, address: UInt16, data: [UInt8], crcValid: Bool, consumed: Int)
        case invalid(skip: Int)
    }

    public static func parseCommand(_ buffer: [UInt8]) -> ParsedCommand? {
        guard let first = buffer.first else { return nil }
        guard first == 0x7E else { return .invalid(skip: 1) }
        guard buffer.count >= 2 else { return nil }
        guard buffer[1] == 0x00 else { return .invalid(skip: 1) }
        guard buffer.count >= 6 else { return nil }
        let len = Int(buffer[3])
        let end = 6 + len + 2
        guard buffer.count >= end else { return nil }
        let body = Array(buffer[2..<(6 + len)])
        let crc = UInt16(buffer[end - 2]) << 8 | UInt16(buffer[end - 1])
        // The modules also accept the fixed check bytes AB CD in place of the CRC.
        let valid = CRC16XModem.checksum(body) == crc || crc == 0xABCD
        return .command(type: buffer[2], address: UInt16(buffer[4]) << 8 | UInt16(buffer[5]),
                        data: Array(buffer[6..<(6 + len)]), crcValid: valid, consumed: end)
    }

    private static func replyParser(expect: String, then: (@Sendable ([UInt8]) -> [ScriptedSession.Step])? = nil) -> ScriptedSession.ReplyParser {
        { buffer in
            guard let r = parseReply(buffer) else { return nil }
            if !r.crcValid { return .init(consumed: r.consumed, meaning: "reply CRC mismatch", accepted: false) }
            if r.status != 0x00 { return .init(consumed: r.consumed, meaning: "status \(r.status): refused", accepted: false) }
            let meaning = r.data.isEmpty ? "\(expect): ok" : "\(expect): ok, data \(HexBytes.format(r.data))"
            return .init(consumed: r.consumed, meaning: meaning, accepted: true, next: then?(r.data) ?? [])
        }
    }

    /// Read-modify-write of the bits `mask` of zone byte `address`.
    private func setBits(_ address: UInt16, mask: UInt8, value: UInt8, label: String) -> ScriptedSession.Step {
        ScriptedSession.Step(request: Self.read(address), parse: Self.replyParser(expect: "read zone \(Self.hex16(address))") { data in
            let old = data.first ?? 0
            let new = (old & ~mask) | (value & mask)
            return [ScriptedSession.Step(request: Self.write(address, [new]), parse: Self.replyParser(expect: "write \(label)"))]
        })
    }

    /// The conversation for `action`; throws if this command set cannot express it.
    public func session(for action: ScannerConfigurationAction) throws(ScannerConfigurationError) -> any ScannerConfigurationSession {
        let step: ScriptedSession.Step
        switch action {
        case .aimIdentifiers(let on):
            if let aimZone {
                step = setBits(aimZone, mask: aimMask, value: on ? aimMask : 0, label: "AIM \(on ? "on" : "off")")
            } else if let codeIDZone {
                step = setBits(codeIDZone, mask: codeIDMask, value: on ? codeIDMask : 0, label: "Code ID \(on ? "on" : "off") (this model has no AIM identifier)")
            } else {
                throw .unsupported("this model sends neither AIM identifiers nor a Code ID (no aimZone or codeIDZone in its catalog file)")
            }
        case .suffix(let s):
            guard let v = endMarks[s] else {
                let choices = endMarks.keys.map { $0.isEmpty ? "none" : HexBytes.format($0) }.sorted().joined(separator: ", ")
                throw .unsupported("a GM65 end mark can only be one of: \(choices)")
            }
            step = setBits(endMarkZone, mask: endMarkMask, value: v, label: "end mark")
        case .save:
            step = ScriptedSession.Step(request: Self.save, parse: Self.replyParser(expect: "save to flash"))
        }
        return ScriptedSession(commandSet: ScannerCommandSet.gm65.rawValue, action: action.description, steps: [step])
    }

    static func hex16(_ v: UInt16) -> String {
        let s = String(v, radix: 16, uppercase: true)
        return "0x" + String(repeating: "0", count: max(0, 4 - s.count)) + s
    }
}

/// Why a configuration cannot be done.
public enum ScannerConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    case unsupported(String)
    case io(String)
    case noReply(String)

    public var description: String {
        switch self {
        case .unsupported(let m): return m
        case .io(let m): return m
        case .noReply(let m): return m
        }
    }
}
