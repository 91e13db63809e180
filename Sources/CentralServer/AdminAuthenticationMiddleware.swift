import Foundation
import CentralStore
import Hummingbird
import Logging

/// Authenticates a reading or administration route: `Authorization: Bearer <admin token>`.
/// Accepted: a token configured at startup (`AdminTokens`) or an unrevoked token the store issued
/// (`checkpoint-central admin-token create`). Anything else: 401.
struct AdminAuthenticationMiddleware: RouterMiddleware {
    typealias Context = CentralRequestContext
    let store: any CentralStorage
    let configuredTokens: AdminTokens

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let token = try BearerCredential.token(from: request)
        if configuredTokens.accepts(token) {
            return try await next(request, context)
        }
        let check: CredentialCheck
        do {
            check = try await store.verifyAdminToken(token)
        } catch {
            throw StoreErrorMapping.apiError(for: error, audience: .admin)
        }
        guard check == .accepted else {
            context.logger.notice("admin token refused", metadata: ["check": "\(check.rawValue)"])
            throw APIError.unauthorized(check == .revoked ? "admin token is revoked" : "not a valid admin token")
        }
        return try await next(request, context)
    }
}
