/// GD60914 forehead/wrist infrared module (family `gd60914`), 9600 8N1.
///
/// `A1` once selects single-measurement mode; then one command byte per reading: `AA` object,
/// `AB` forehead, `AC` wrist (an open-source ESPHome driver; no vendor manual was found). The reply
/// is an ASCII integer in tenths of °C — the driver reads 7 bytes, e.g. `  365\r\n`, but field
/// width and terminator are documented nowhere found, so the reader accepts: padding (spaces, CR,
/// LF), an optional sign, 1…`maxDigits` digits, ended by any non-digit byte (CR LF together count
/// as one terminator). Raw value = that integer (scale 0.1).
///
/// `[protocol]`: `target = "object" | "forehead" | "wrist"` + polling keys.
public struct GD60914Codec: ThermometerCodec {
    public enum Target: String, Sendable, CaseIterable {
        case object, forehead, wrist
        public var command: UInt8 {
            switch self {
            case .object: return 0xAA
            case .forehead: return 0xAB
            case .wrist: return 0xAC
            }
        }
    }

    public static let singleModeCommand: [UInt8] = [0xA1]
    public static let replyLength = 7

    public let target: Target
    private var scanner = FrameScanner()

    public init(target: Target) { self.target = target }

    /// A reply as the module sends it (used by simulators and tests).
    public static func reply(tenths: Int) -> [UInt8] {
        let v = max(-9999, min(tenths, 99999))
        var field = String(v)
        while field.count < 5 { field = " " + field }
        return Array(field.utf8) + [0x0D, 0x0A]
    }

    public var setupCommand: [UInt8] { Self.singleModeCommand }
    public var pollCommand: [UInt8]? { [target.command] }
    public var pendingByteCount: Int { scanner.pendingByteCount }
    public mutating func flush(_ why: String) -> [Rejection] { scanner.flush(why) }

    public mutating func decode(_ bytes: [UInt8]) -> [DecodedItem] {
        scanner.scan(bytes) { w in Self.examine(w) }
    }

    /// Most digits a reply carries (a 5-character field holds at most 5).
    static let maxDigits = 6

    /// Padding, sign, digits, terminator at the front of `w`.
    static func examine(_ w: ArraySlice<UInt8>) -> FrameVerdict {
        var i = w.startIndex
        while i < w.endIndex, isPadding(w[i]) { i += 1 }
        guard i < w.endIndex else { return .needMore }
        var sign = 1
        if w[i] == 0x2B || w[i] == 0x2D {
            sign = w[i] == 0x2D ? -1 : 1
            i += 1
        }
        var value = 0, digits = 0
        while i < w.endIndex, isDigit(w[i]) {
            if digits < maxDigits { value = value * 10 + Int(w[i] - 0x30) }
            digits += 1
            i += 1
        }
        guard i < w.endIndex else { return .needMore }
        if digits > maxDigits {
            // The whole run is one bad field, not a number to be read from its last digits.
            let n = i - w.startIndex
            return .frame(length: n, .rejected(Rejection(.malformed, "more than \(maxDigits) digits", bytes: n)))
        }
        guard digits > 0 else { return .skip }   // a sign or padding followed by something else
        var end = i + 1                          // the terminator, whatever it is
        if w[i] == 0x0D, end < w.endIndex, w[end] == 0x0A { end += 1 }
        return .frame(length: end - w.startIndex, .raw(Double(sign * value)))
    }

    static func isDigit(_ b: UInt8) -> Bool { (0x30...0x39).contains(b) }
    static func isPadding(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0D || b == 0x0A }
}
