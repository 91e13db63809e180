import Crypto
import Foundation

/// Gate secrets and administrator tokens: 32 random bytes from the system's CSPRNG, spelled as 64
/// lowercase hex characters. The store keeps only SHA-256 of the 32 bytes (hex); a presented secret
/// is hashed and compared in constant time.
enum Secrets {
    static let byteCount = 32

    /// A new secret (hex) and its hash (hex).
    static func make() -> (secret: String, sha256: String) {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<byteCount).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return (hex(bytes), hex(Array(SHA256.hash(data: bytes))))
    }

    /// SHA-256 (hex) of a presented secret's bytes; nil if it is not 64 hex characters.
    static func hash(presented: String) -> String? {
        guard let bytes = decodeHex(presented), bytes.count == byteCount else { return nil }
        return hex(Array(SHA256.hash(data: bytes)))
    }

    /// SHA-256 (hex) of a text's UTF-8 bytes: the index key of credential payloads.
    static func sha256(text: String) -> String {
        hex(Array(SHA256.hash(data: Data(text.utf8))))
    }

    /// Compares two strings in time that depends only on their lengths.
    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in 0..<x.count { difference |= x[i] ^ y[i] }
        return difference == 0
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func decodeHex(_ text: String) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count % 2 == 0 else { return nil }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case 0x30...0x39: return c - 0x30
            case 0x61...0x66: return c - 0x61 + 10
            case 0x41...0x46: return c - 0x41 + 10
            default: return nil
            }
        }
        var out = [UInt8]()
        out.reserveCapacity(chars.count / 2)
        var i = 0
        while i < chars.count {
            guard let hi = nibble(chars[i]), let lo = nibble(chars[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }
}
