import Foundation
import CentralStore
import Hummingbird
import Logging

/// Authenticates a gate route: `Authorization: Bearer <gateID>:<secret>`.
/// Missing or malformed credential, a gate the store does not know, or a secret that is not the
/// gate's: 401, with one message (no oracle of which gate ids exist). A revoked gate presenting its
/// own secret: 403 `gateRevoked`.
/// On success the gate id is in `context.authenticatedGate`.
struct GateAuthenticationMiddleware: RouterMiddleware {
    typealias Context = CentralRequestContext
    let store: any CentralStorage

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let (gate, secret) = try BearerCredential.gateCredential(from: request)
        let check: CredentialCheck
        do {
            check = try await store.verifyGateSecret(gate: gate, secret: secret)
        } catch {
            throw StoreErrorMapping.apiError(for: error, audience: .gate)
        }
        switch check {
        case .accepted:
            var context = context
            context.authenticatedGate = gate
            context.logger[metadataKey: "gate"] = .string(gate)
            return try await next(request, context)
        case .unknown:
            context.logger.notice("gate credential refused", metadata: ["gate": "\(gate)", "check": "unknown"])
            throw APIError.unauthorized("not a valid gate credential")
        case .revoked:
            context.logger.notice("gate credential refused", metadata: ["gate": "\(gate)", "check": "revoked"])
            throw APIError.forbidden("gate \(gate) is revoked", code: "gateRevoked")
        case .mismatch:
            context.logger.notice("gate credential refused", metadata: ["gate": "\(gate)", "check": "mismatch"])
            throw APIError.unauthorized("not a valid gate credential")
        }
    }
}
