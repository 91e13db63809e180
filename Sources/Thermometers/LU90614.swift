/// LU90614 infrared body-temperature module (family `lu90614`), 9600 8N1.
///
/// Commands (3 bytes, the last is the low byte of the sum of the first two): `FA C5 BF` body mode,
/// `FA C6 C0` object mode, `FA CA C4` measure. Reply, 9 bytes:
/// `FE mode tInt tFrac x x x x sum` — mode `AC` body / `AA` object, °C = tInt + tFrac/100,
/// sum = low byte of bytes 0–7. Raw value = tInt × 100 + tFrac (scale 0.01 in the catalog).
///
/// `[protocol]`: `mode = "body" | "object"` (sent once when the port opens) + polling keys.
public struct LU90614Codec: ThermometerCodec {
    public enum Mode: String, Sendable, CaseIterable {
        case body, object
        /// The mode byte of a reply in this mode.
        public var replyByte: UInt8 { self == .body ? 0xAC : 0xAA }
        /// The command that selects this mode.
        public var command: [UInt8] { LU90614Codec.command(self == .body ? 0xC5 : 0xC6) }
    }

    public static let replyHeader: UInt8 = 0xFE
    public static let replyLength = 9
    public static let measureCommand = command(0xCA)

    public let mode: Mode
    private var scanner = FrameScanner()

    public init(mode: Mode) { self.mode = mode }

    /// `FA code sum`.
    public static func command(_ code: UInt8) -> [UInt8] { [0xFA, code, Checksum.sum8([0xFA, code])] }

    /// A reply frame, as the module sends it (used by simulators and tests).
    public static func reply(mode: Mode, hundredths: Int) -> [UInt8] {
        let clamped = max(0, min(hundredths, 255 * 100 + 99))
        let body: [UInt8] = [replyHeader, mode.replyByte, UInt8(clamped / 100), UInt8(clamped % 100), 0, 0, 0, 0]
        return body + [Checksum.sum8(body)]
    }

    public var setupCommand: [UInt8] { mode.command }
    public var pollCommand: [UInt8]? { Self.measureCommand }
    public var pendingByteCount: Int { scanner.pendingByteCount }
    public mutating func flush(_ why: String) -> [Rejection] { scanner.flush(why) }

    public mutating func decode(_ bytes: [UInt8]) -> [DecodedItem] {
        let expected = mode
        return scanner.scan(bytes) { w in
            guard w.first == Self.replyHeader else { return .skip }
            guard w.count >= Self.replyLength else { return .needMore }
            let f = Array(w.prefix(Self.replyLength))
            let sum = Checksum.sum8(f[0..<8])
            guard sum == f[8] else {
                return .invalid(Rejection(.badChecksum, "sum \(hex(f[8])), expected \(hex(sum))", bytes: Self.replyLength))
            }
            guard let replyMode = Mode.allCases.first(where: { $0.replyByte == f[1] }) else {
                return .invalid(Rejection(.malformed, "unknown mode byte \(hex(f[1]))", bytes: Self.replyLength))
            }
            guard f[3] < 100 else {
                return .frame(length: Self.replyLength, .rejected(Rejection(.malformed, "hundredths byte \(f[3]) ≥ 100", bytes: Self.replyLength)))
            }
            guard replyMode == expected else {
                return .frame(length: Self.replyLength, .rejected(Rejection(.unexpectedMode, "reply in \(replyMode.rawValue) mode, configured \(expected.rawValue)", bytes: Self.replyLength)))
            }
            return .frame(length: Self.replyLength, .raw(Double(Int(f[2]) * 100 + Int(f[3]))))
        }
    }
}
