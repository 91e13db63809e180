/// Zebra Simple Serial Interface (SSI) packets: `length opcode source status data… checksum`, where
/// `length` counts the bytes before the checksum (itself included), `source` is 0x04 from the host
/// and 0x00 from the decoder, and the checksum is the 16-bit two's complement of the sum of those
/// bytes, high byte first. Every message is answered with CMD_ACK or CMD_NAK.
///
/// Parameter numbers are catalog data; the defaults are those of Zebra's SSI programmer's guide and
/// the product reference guides' parameter tables: 0x2D transmit code ID (0 none, 1 AIM, 2 Symbol),
/// 0xEB scan data transmission format, 0x68/0x6A suffix 1/2 values, and — newer guides — the key
/// category of suffix 1/2 (0x62/0x64; prefix 0x63), which must be 1 for the suffix value to be sent.
///
/// Used here: SCAN_DISABLE, PARAM_SEND (beep code, then parameter number / value pairs; status bit 3
/// set = permanent change), SCAN_ENABLE; "save" asks PARAM_REQUEST for the managed parameters and
/// sends them back permanently. START_SESSION / STOP_SESSION (a decode attempt, like pulling the
/// trigger) are encoded and simulated but not part of a configuration conversation.
public struct ZebraSSICommandSet: Sendable, Hashable {
    public static let hostSource: UInt8 = 0x04
    public static let decoderSource: UInt8 = 0x00
    public static let paramSend: UInt8 = 0xC6
    public static let paramRequest: UInt8 = 0xC7
    public static let cmdAck: UInt8 = 0xD0
    public static let cmdNak: UInt8 = 0xD1
    public static let startSession: UInt8 = 0xE4
    public static let stopSession: UInt8 = 0xE5
    public static let scanEnable: UInt8 = 0xE9
    public static let scanDisable: UInt8 = 0xEA
    public static let decodeData: UInt8 = 0xF3
    /// PARAM_SEND status bit: the change is permanent (survives power-down).
    public static let permanentBit: UInt8 = 0x08
    /// PARAM_SEND beep code: no beep.
    public static let noBeep: UInt8 = 0xFF

    /// Parameter numbers (≤ 0xEF: one byte on the wire) and values, from the model's catalog file.
    public var transmitCodeIDParam: UInt8
    public var codeIDNone: UInt8
    public var codeIDAIM: UInt8
    public var transmissionFormatParam: UInt8
    public var suffix1Param: UInt8
    public var suffix2Param: UInt8
    /// Key category of suffix 1 and 2 (0x62, 0x64), written with `keyCategoryValue` whenever a
    /// suffix is; nil: the model has no such parameter.
    public var suffix1KeyCategoryParam: UInt8?
    public var suffix2KeyCategoryParam: UInt8?
    public var keyCategoryValue: UInt8

    public init(transmitCodeIDParam: UInt8 = 0x2D, codeIDNone: UInt8 = 0x00, codeIDAIM: UInt8 = 0x01,
                transmissionFormatParam: UInt8 = 0xEB, suffix1Param: UInt8 = 0x68, suffix2Param: UInt8 = 0x6A,
                suffix1KeyCategoryParam: UInt8? = 0x62, suffix2KeyCategoryParam: UInt8? = 0x64, keyCategoryValue: UInt8 = 1) {
        self.suffix1KeyCategoryParam = suffix1KeyCategoryParam
        self.suffix2KeyCategoryParam = suffix2KeyCategoryParam
        self.keyCategoryValue = keyCategoryValue
        self.transmitCodeIDParam = transmitCodeIDParam
        self.codeIDNone = codeIDNone
        self.codeIDAIM = codeIDAIM
        self.transmissionFormatParam = transmissionFormatParam
        self.suffix1Param = suffix1Param
        self.suffix2Param = suffix2Param
    }

    /// Scan data transmission formats: data as is, data + suffix 1, data + suffix 1 + suffix 2.
    public static let formatDataOnly: UInt8 = 0
    public static let formatSuffix1: UInt8 = 1
    public static let formatSuffix1And2: UInt8 = 3

    public static func checksum(_ bytes: some Sequence<UInt8>) -> UInt16 {
        let sum = bytes.reduce(UInt16(0)) { $0 &+ UInt16($1) }
        return ~sum &+ 1
    }

    public static func packet(opcode: UInt8, source: UInt8 = hostSource, status: UInt8 = 0, data: [UInt8] = []) -> [UInt8] {
        let body = [UInt8(truncatingIfNeeded: 4 + data.count), opcode, source, status] + data
        let c = checksum(body)
        return body + [UInt8(c >> 8), UInt8(c & 0xFF)]
    }

    public struct Packet: Sendable, Hashable {
        public var opcode: UInt8
        public var source: UInt8
        public var status: UInt8
        public var data: [UInt8]
        public var checksumValid: Bool
        public var consumed: Int
    }

    /// Parses one packet from the start of `buffer`: nil while incomplete; a length below 4 is
    /// reported as an invalid packet of 1 byte (skip it).
    public static func parse(_ buffer: [UInt8]) -> Packet? {
        guard let len = buffer.first.map(Int.init) else { return nil }
        guard len >= 4 else { return Packet(opcode: 0, source: 0, status: 0, data: [], checksumValid: false, consumed: 1) }
        guard buffer.count >= len + 2 else { return nil }
        let body = Array(buffer[0..<len])
        let c = UInt16(buffer[len]) << 8 | UInt16(buffer[len + 1])
        return Packet(opcode: body[1], source: body[2], status: body[3], data: Array(body[4...]),
                      checksumValid: checksum(body) == c, consumed: len + 2)
    }

    private static func expectAck(_ label: String) -> ScriptedSession.ReplyParser {
        { buffer in
            guard let p = parse(buffer) else { return nil }
            if !p.checksumValid { return .init(consumed: p.consumed, meaning: "\(label): reply checksum mismatch", accepted: false) }
            switch p.opcode {
            case cmdAck: return .init(consumed: p.consumed, meaning: "\(label): ACK", accepted: true)
            case cmdNak: return .init(consumed: p.consumed, meaning: "\(label): NAK cause \(p.data.first ?? 0)", accepted: false)
            default: return .init(consumed: p.consumed, meaning: "\(label): unexpected opcode \(HexBytes.format([p.opcode]))", accepted: false)
            }
        }
    }

    private func wrapped(_ middle: [ScriptedSession.Step]) -> [ScriptedSession.Step] {
        [.init(request: Self.packet(opcode: Self.scanDisable), parse: Self.expectAck("SCAN_DISABLE"))]
            + middle
            + [.init(request: Self.packet(opcode: Self.scanEnable), parse: Self.expectAck("SCAN_ENABLE"))]
    }

    private static func paramSend(_ pairs: [UInt8], permanent: Bool) -> [UInt8] {
        packet(opcode: paramSend, status: permanent ? permanentBit : 0, data: [noBeep] + pairs)
    }

    /// The pair setting a suffix's key category, if the model has that parameter.
    private func keyCategory(_ param: UInt8?) -> [UInt8] { param.map { [$0, keyCategoryValue] } ?? [] }

    public func session(for action: ScannerConfigurationAction) throws(ScannerConfigurationError) -> any ScannerConfigurationSession {
        var middle: [ScriptedSession.Step] = []
        switch action {
        case .aimIdentifiers(let on):
            middle = [.init(request: Self.paramSend([transmitCodeIDParam, on ? codeIDAIM : codeIDNone], permanent: false),
                            parse: Self.expectAck("PARAM_SEND"))]
        case .suffix(let s):
            let pairs: [UInt8]
            switch s.count {
            case 0: pairs = [transmissionFormatParam, Self.formatDataOnly]
            case 1: pairs = [transmissionFormatParam, Self.formatSuffix1, suffix1Param, s[0]] + keyCategory(suffix1KeyCategoryParam)
            case 2:
                pairs = [transmissionFormatParam, Self.formatSuffix1And2, suffix1Param, s[0], suffix2Param, s[1]]
                    + keyCategory(suffix1KeyCategoryParam) + keyCategory(suffix2KeyCategoryParam)
            default: throw .unsupported("SSI scanners send at most two suffix characters")
            }
            middle = [.init(request: Self.paramSend(pairs, permanent: false), parse: Self.expectAck("PARAM_SEND"))]
        case .save:
            let wanted = [transmitCodeIDParam, transmissionFormatParam, suffix1Param, suffix2Param]
                + [suffix1KeyCategoryParam, suffix2KeyCategoryParam].compactMap { $0 }
            middle = [.init(request: Self.packet(opcode: Self.paramRequest, data: wanted), parse: { buffer in
                guard let p = Self.parse(buffer) else { return nil }
                guard p.checksumValid else { return .init(consumed: p.consumed, meaning: "PARAM_REQUEST: reply checksum mismatch", accepted: false) }
                guard p.opcode == Self.paramSend, p.source == Self.decoderSource else {
                    return .init(consumed: p.consumed, meaning: "PARAM_REQUEST: unexpected opcode \(HexBytes.format([p.opcode]))", accepted: false)
                }
                let pairs = Array(p.data.dropFirst()) // beep code first
                guard pairs.count % 2 == 0, !pairs.isEmpty else {
                    return .init(consumed: p.consumed, meaning: "PARAM_REQUEST: malformed parameter list", accepted: false)
                }
                return .init(consumed: p.consumed, meaning: "PARAM_REQUEST: values \(HexBytes.format(pairs))", accepted: true,
                             next: [.init(request: Self.paramSend(pairs, permanent: true), parse: Self.expectAck("PARAM_SEND permanent"))],
                             acknowledge: Self.packet(opcode: Self.cmdAck))
            })]
        }
        return ScriptedSession(commandSet: ScannerCommandSet.zebraSSI.rawValue, action: action.description, steps: wrapped(middle))
    }
}
