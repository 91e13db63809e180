import CentralStore
import CheckpointCore
import Foundation

/// How `CentralStoreError`s become HTTP errors. Gate routes and admin routes differ on one point:
/// an unknown or revoked gate is the caller itself on a gate route (403) but a missing resource on
/// an admin route (404 / 409).
enum StoreErrorMapping {
    enum Audience { case gate, admin }

    /// `Retry-After` (s) of a 503 `busy`: long enough for a queue of waiters to clear.
    static let busyRetryAfterSeconds = 5

    /// The `APIError` for a store error the client can act on; any other error is returned as it
    /// is, for `ErrorMiddleware` to log in full and answer with a bare 500.
    static func apiError(for error: any Error, audience: Audience) -> any Error {
        guard let storeError = error as? CentralStoreError, let mapped = apiError(for: storeError, audience: audience) else {
            return error
        }
        return mapped
    }

    static func apiError(for storeError: CentralStoreError, audience: Audience) -> APIError? {
        switch storeError {
        case .conflict(let keys):
            let detail = keys.prefix(5).map { key in
                "epoch \(key.journalEpoch.uuidString.lowercased()) seq \(key.seq): stored id "
                    + (key.storedID.map { $0.uuidString.lowercased() } ?? "(earlier in this batch)")
                    + ", presented id \(key.presentedID.uuidString.lowercased())"
            }.joined(separator: "; ")
            return .conflict("\(keys.count) record(s) reuse a (gate, journalEpoch, seq) already held by a different id; "
                             + "nothing of this batch was stored and an alert was raised: \(detail)")
        case .gateMismatch(let authenticated, let presented):
            return .forbidden("gate \(authenticated) cannot write records or heartbeats of gate \(presented)",
                              code: "gateMismatch")
        case .unknownGate(let gate):
            return audience == .gate
                ? .forbidden("gate \(gate) is not registered", code: "unknownGate")
                : .notFound("no gate \(gate)")
        case .gateRevoked(let gate):
            return audience == .gate
                ? .forbidden("gate \(gate) is revoked", code: "gateRevoked")
                : APIError(.conflict, code: "gateRevoked", message: "gate \(gate) is revoked")
        case .batchTooLarge(let count, let limit):
            return .tooLarge("batch of \(count) records exceeds the limit of \(limit)")
        case .invalidInput(let message):
            return .badRequest(message, code: "invalidInput")
        case .unknownPlace(let level, let id):
            return .notFound("no \(level.rawValue) \(id)")
        case .notFound(let what):
            return .notFound("no \(what)")
        case .gateExists(let gate):
            return .conflict("gate \(gate) is already registered; rotate its secret with POST /v1/gates/\(gate)/secret",
                             code: "gateExists")
        case .engine(let message):
            return .unavailable("database unavailable: \(message)")
        case .busy(let waitedMs):
            return APIError(.serviceUnavailable, code: "busy",
                            message: "the store is overloaded: no write turn within \(waitedMs) ms; nothing was stored, send again later",
                            headers: [.retryAfter: String(busyRetryAfterSeconds)])
        case .invalidLocation, .durability, .migration:
            return nil
        }
    }
}
