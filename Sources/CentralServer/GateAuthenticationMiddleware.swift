import Foundation
import CentralStore
import Hummingbird
import Logging

/// Authenticates a gate route: `Authorization: Bearer <gateID>:<secret>`.
/// Missing or malformed credential, or a secret that is not the gate's: 401.
/// A gate the store does not know, or one that was revoked: 403.
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
            throw APIError.forbidden("gate \(gate) is not registered", code: "unknownGate")
        case .revoked:
            context.logger.notice("gate credential refused", metadata: ["gate": "\(gate)", "check": "revoked"])
            throw APIError.forbidden("gate \(gate) is revoked", code: "gateRevoked")
        case .mismatch:
            context.logger.notice("gate credential refused", metadata: ["gate": "\(gate)", "check": "mismatch"])
            throw APIError.unauthorized("wrong secret for gate \(gate)")
        }
    }
}
