import Crypto
import Foundation

/// The stored form of a bearer token configured at startup (`AdminTokens`): its SHA-256 digest,
/// compared in constant time. (Gate secrets and database admin tokens are issued and checked by
/// the store.)
public enum SecretToken {
    /// Lowercase hex SHA-256 of the secret's UTF-8 bytes: the stored form.
    public static func digestHex(_ secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Compares two equal-length strings in time independent of where they differ.
    public static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in 0..<x.count { difference |= x[i] ^ y[i] }
        return difference == 0
    }
}
