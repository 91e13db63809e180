/// GY-MCU90614 / GY-MCU90615 serial infrared modules (family `gy-mcu90614`), 9600 or 115200 8N1.
///
/// Polled in query mode: `A5 15 BA` asks for one frame (continuous output, `A5 45 EA`, streams at
/// about 14 Hz and would keep the gate busy forever — never sent). Frame, 9 bytes:
/// `5A 5A 45 04 TO_H TO_L TA_H TA_L SUM` — object (TO) and ambient (TA) temperature as big-endian
/// signed hundredths of °C, SUM = low byte of bytes 0–7. Raw value = TO or TA (scale 0.01).
///
/// `[protocol]`: `value = "object" | "ambient"` + polling keys.
public struct GYMCU90614Codec: ThermometerCodec {
    public enum Value: String, Sendable, CaseIterable { case object, ambient }

    public static let header: [UInt8] = [0x5A, 0x5A]
    public static let temperatureType: UInt8 = 0x45
    public static let frameLength = 9
    public static let queryCommand: [UInt8] = [0xA5, 0x15, 0xBA]
    public static let continuousCommand: [UInt8] = [0xA5, 0x45, 0xEA]

    public let value: Value
    private var scanner = FrameScanner()

    public init(value: Value) { self.value = value }

    /// A frame as the module sends it (used by simulators and tests); temperatures in hundredths of °C.
    public static func frame(objectHundredths: Int, ambientHundredths: Int) -> [UInt8] {
        func be(_ v: Int) -> [UInt8] {
            let u = UInt16(bitPattern: Int16(clamping: v))
            return [UInt8(u >> 8), UInt8(u & 0xFF)]
        }
        let body = header + [temperatureType, 0x04] + be(objectHundredths) + be(ambientHundredths)
        return body + [Checksum.sum8(body)]
    }

    public var setupCommand: [UInt8] { [] }
    public var pollCommand: [UInt8]? { Self.queryCommand }
    public var pendingByteCount: Int { scanner.pendingByteCount }
    public mutating func flush(_ why: String) -> [Rejection] { scanner.flush(why) }

    public mutating func decode(_ bytes: [UInt8]) -> [DecodedItem] {
        let value = self.value
        return scanner.scan(bytes) { w in
            guard let first = w.first, first == 0x5A else { return .skip }
            guard w.count >= 2 else { return .needMore }
            guard w[w.startIndex + 1] == 0x5A else { return .skip }
            guard w.count >= Self.frameLength else { return .needMore }
            let f = Array(w.prefix(Self.frameLength))
            let sum = Checksum.sum8(f[0..<8])
            guard sum == f[8] else {
                return .invalid(Rejection(.badChecksum, "sum \(hex(f[8])), expected \(hex(sum))", bytes: Self.frameLength))
            }
            guard f[2] == Self.temperatureType, f[3] == 0x04 else {
                return .frame(length: Self.frameLength, .rejected(Rejection(.malformed, "frame type \(hex(f[2])) length \(f[3]), expected 0x45 4", bytes: Self.frameLength)))
            }
            let to = Int16(bitPattern: UInt16(f[4]) << 8 | UInt16(f[5]))
            let ta = Int16(bitPattern: UInt16(f[6]) << 8 | UInt16(f[7]))
            return .frame(length: Self.frameLength, .raw(Double(value == .object ? to : ta)))
        }
    }
}
