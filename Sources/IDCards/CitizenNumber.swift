/// An 18-character citizen identity number (GB 11643): 17 digits and a check character computed
/// with ISO 7064 MOD 11-2 (`0`–`9` or `X`). Only a number whose check character matches can be
/// made. Its `description` shows the last 4 characters only; the full text is `digits`.
public struct CitizenNumber: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The 18 characters, ASCII, `X` upper case.
    public let digits: String

    /// Weights of the 17 digits: 2^(17−i) mod 11.
    static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]

    /// Parses and verifies `text` (a lower-case `x` is accepted as `X`).
    public init(_ text: String) throws(IDCardRejection) {
        let chars = Array(text.uppercased().utf8)
        guard chars.count == 18 else {
            throw IDCardRejection(.malformedField, "citizen number has \(text.count) characters, expected 18")
        }
        guard chars[0..<17].allSatisfy({ (0x30...0x39).contains($0) }), (0x30...0x39).contains(chars[17]) || chars[17] == 0x58 else {
            throw IDCardRejection(.malformedField, "citizen number is not 17 digits and a check character")
        }
        let expected = Self.checkCharacter(forFirst17: Array(chars[0..<17]))
        guard chars[17] == expected else { throw IDCardRejection(.badCheckDigit, "check character does not match") }
        digits = String(decoding: chars, as: UTF8.self)
    }

    /// The ISO 7064 MOD 11-2 check character (ASCII `0`–`9` or `X`) of 17 ASCII digits.
    public static func checkCharacter(forFirst17 digits: [UInt8]) -> UInt8 {
        let sum = zip(digits, weights).reduce(0) { $0 + Int($1.0 - 0x30) * $1.1 }
        let value = (12 - sum % 11) % 11
        return value == 10 ? 0x58 : UInt8(0x30 + value)
    }

    /// The last 4 characters, for the person on duty.
    public var lastFour: String { String(digits.suffix(4)) }

    public var description: String { "…\(lastFour)" }
    public var debugDescription: String { description }
}
