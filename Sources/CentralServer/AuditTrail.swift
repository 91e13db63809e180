import CentralStore
import Foundation
import Logging

/// Appends audit events for the routes. An event that must precede what it records (a passage
/// lookup, an export) is appended before the data is sent: if the log cannot be written the request
/// fails with 503 and nothing personal leaves the server unrecorded.
struct AuditTrail: Sendable {
    let store: any CentralStorage
    let now: @Sendable () -> Date

    func record(_ principal: Principal, _ action: AuditAction, target: String, detail: String = "") async throws {
        let event = AuditEvent(at: now(), actor: principal.actor, action: action,
                               target: Self.clip(target, 300), detail: Self.clip(detail, 2_000))
        do {
            try await store.appendAudit(event)
        } catch {
            throw StoreErrorMapping.apiError(for: error, audience: .admin)
        }
    }

    /// How the log names a credential: a 16-hex-digit prefix of its SHA-256, never the code itself.
    static func credentialTarget(_ payload: String) -> String {
        "sha256:" + String(SecretToken.digestHex(payload).prefix(16))
    }

    /// `text` cut to at most `bytes` UTF-8 bytes on a character boundary.
    static func clip(_ text: String, _ bytes: Int) -> String {
        var result = ""
        var used = 0
        for character in text {
            used += character.utf8.count
            if used > bytes { break }
            result.append(character)
        }
        return result
    }
}
