import CheckpointCore
import Foundation
import Hummingbird

/// The `Authorization: Bearer …` header, parsed. A gate presents `<gateID>:<secret>`; an
/// administrator presents the admin token (no colon required, any printable ASCII).
public enum BearerCredential {
    /// The token after `Bearer ` (scheme case-insensitive), or 401.
    public static func token(from request: Request) throws -> String {
        guard let header = request.headers[.authorization] else {
            throw APIError.unauthorized("missing Authorization header (expected `Bearer <credential>`)")
        }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw APIError.unauthorized("Authorization header is not `Bearer <credential>`")
        }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        guard !token.isEmpty, token.utf8.count <= 1024 else {
            throw APIError.unauthorized("empty or oversized bearer credential")
        }
        return token
    }

    /// A gate's credential `<gateID>:<secret>`, or 401 if it is not of that shape.
    public static func gateCredential(from request: Request) throws -> (gate: String, secret: String) {
        let token = try token(from: request)
        guard let colon = token.firstIndex(of: ":") else {
            throw APIError.unauthorized("gate credential must be `<gateID>:<secret>`")
        }
        let gate = String(token[..<colon])
        let secret = String(token[token.index(after: colon)...])
        guard FieldLimits.isValidIdentifier(gate), !secret.isEmpty else {
            throw APIError.unauthorized("gate credential must be `<gateID>:<secret>` with a valid gate id")
        }
        return (gate, secret)
    }
}
