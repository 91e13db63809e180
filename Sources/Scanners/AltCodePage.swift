/// How the decimal number typed as Alt + keypad digits names a character. Scanners type characters
/// that the host layout lacks this way, aiming at what the host OS does with such sequences.
public enum AltCodePage: String, Sendable, Hashable, CaseIterable, Codable {
    /// The Windows convention: `Alt+0nnn` (leading zero) is Windows-1252, `Alt+nnn` is the OEM code
    /// page 437; both 0…255. (Honeywell and Zebra "Alt mode" target this.)
    case windows
    /// The number is a Unicode scalar value (scanners set to "Unicode Alt" output).
    case unicode
    /// The number is a GBK code: below 128 ASCII, otherwise the double-byte value (high byte × 256 +
    /// low byte), as Chinese Windows interprets it and Chinese scanners emit it.
    case gbk

    /// The character for `digits` (most significant first), or why there is none.
    public func character(digits: [UInt8]) -> Result<Character, ScanRejectionReason> {
        guard !digits.isEmpty, digits.count <= 7 else {
            return .failure(.invalidAltCode("\(digits.count) digits"))
        }
        let value = digits.reduce(0) { $0 * 10 + Int($1) }
        let shown = digits.map(String.init).joined()
        func decoded(_ bytes: [UInt8], _ charset: String) -> Result<Character, ScanRejectionReason> {
            guard case .success(let s) = CharsetDecoder.decode(bytes, charset: charset), s.count == 1, let c = s.first else {
                return .failure(.invalidAltCode("Alt+\(shown) is not a character in \(charset)"))
            }
            return .success(c)
        }
        switch self {
        case .windows:
            guard value <= 255 else { return .failure(.invalidAltCode("Alt+\(shown) is above 255")) }
            return digits.first == 0 ? decoded([UInt8(value)], "CP1252") : decoded([UInt8(value)], "CP437")
        case .unicode:
            guard let scalar = Unicode.Scalar(UInt32(value)) else {
                return .failure(.invalidAltCode("Alt+\(shown) is not a Unicode scalar value"))
            }
            return .success(Character(scalar))
        case .gbk:
            if value < 0x80 { return .success(Character(Unicode.Scalar(UInt8(value)))) }
            guard value <= 0xFFFF else { return .failure(.invalidAltCode("Alt+\(shown) is above 65535")) }
            return decoded([UInt8(value >> 8), UInt8(value & 0xFF)], "GBK")
        }
    }

    /// The digits to type for `c` (used by the simulators), or nil if this code page lacks it.
    public func digits(for c: Character) -> [UInt8]? {
        let number: Int
        var leadingZero = false
        switch self {
        case .unicode:
            guard c.unicodeScalars.count == 1, let s = c.unicodeScalars.first else { return nil }
            number = Int(s.value)
        case .windows:
            if let b = CharsetDecoder.encode(String(c), charset: "CP437"), b.count == 1 {
                number = Int(b[0])
            } else if let b = CharsetDecoder.encode(String(c), charset: "CP1252"), b.count == 1 {
                number = Int(b[0])
                leadingZero = true
            } else { return nil }
        case .gbk:
            guard let b = CharsetDecoder.encode(String(c), charset: "GBK") else { return nil }
            if b.count == 1 { number = Int(b[0]) } else if b.count == 2 { number = Int(b[0]) << 8 | Int(b[1]) } else { return nil }
        }
        let ds = String(number).compactMap { $0.wholeNumberValue.map(UInt8.init) }
        return leadingZero ? [0] + ds : ds
    }
}
