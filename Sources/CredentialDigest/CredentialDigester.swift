import CheckpointCore
import Crypto
import Foundation

/// The district's keyed digest of a credential payload: `hmac-sha256:` followed by the 64
/// lower-case hex characters of HMAC-SHA256(district key, `checkpoint credential v1` + LF + payload).
///
/// The same key gives the same digest at every gate and at the central store, so a code can be
/// counted and recognised again (the watch list sent to gates, ledgers kept as digests) without the
/// code itself; without the key a digest cannot be turned back into a code or made from one
/// (docs/contracts.md §13). The label keeps these digests apart from the ID-card number hashes
/// made with the same key.
public struct CredentialDigester: Sendable {
    /// What every digest starts with; a payload that starts with it is never hashed again.
    public static let prefix = "hmac-sha256:"
    static let label = Data("checkpoint credential v1\n".utf8)
    /// The key's bytes (`SymmetricKey` is not `Sendable`; one is made per digest).
    private let key: Data

    /// `districtKey`: the secret shared by the district's gates and its store (at least 16 bytes).
    public init(districtKey: String) throws(DistrictKeyError) {
        guard districtKey.utf8.count >= Self.minimumKeyBytes else {
            throw DistrictKeyError(description: "the district key must be at least \(Self.minimumKeyBytes) bytes")
        }
        key = Data(districtKey.utf8)
    }

    /// The digester of the district key in `path` (read as `SecretsFile` reads: mode 0600, first line).
    public init(keyFile path: String) throws(DistrictKeyError) {
        let text: String
        do { text = try SecretsFile.read(path) } catch { throw DistrictKeyError(description: "district key: \(error)") }
        do { try self.init(districtKey: text) } catch { throw DistrictKeyError(description: "district key file \(path): \(error)") }
    }

    /// The shortest district key accepted, in bytes.
    public static let minimumKeyBytes = 16

    /// The digest of `payload`; a payload that already is a digest is returned unchanged.
    public func digest(_ payload: String) -> String {
        if Self.isDigest(payload) { return payload }
        return Self.prefix + Self.hmacHex(Self.label + Data(payload.utf8), key: key)
    }

    /// Whether `text` has the form of a digest (the prefix and 64 lower-case hex characters).
    public static func isDigest(_ text: String) -> Bool {
        guard text.hasPrefix(prefix) else { return false }
        let hex = text.utf8.dropFirst(prefix.utf8.count)
        return hex.count == 64 && hex.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    /// HMAC-SHA256 of `message` with `key` as 64 lower-case hex characters.
    public static func hmacHex(_ message: Data, key: Data) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key)) {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
