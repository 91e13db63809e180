import CentralStore
import Foundation
import Hummingbird
import HTTPTypes
import Logging

/// Finds who calls a reading, administration or page route and puts it in `context.principal`:
/// `Authorization: Bearer <admin token>` (a token configured at startup is a district admin; a token
/// the store issued has its own role and scope), otherwise the session cookie.
///
/// Refused: an unknown, revoked or malformed token → 401; no credential → 401 (API) or a redirect
/// to the sign-in page (pages). A state-changing API request (not GET/HEAD) authenticated by the
/// cookie must carry the session's CSRF token in `X-CSRF-Token` (else 403); page forms carry it as a
/// form field, checked by the page routes.
struct PrincipalAuthenticationMiddleware: RouterMiddleware {
    typealias Context = CentralRequestContext
    enum Audience { case api, page }

    let store: any CentralStorage
    let configuredTokens: AdminTokens
    let audience: Audience
    let now: @Sendable () -> Date

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if request.headers[.authorization] != nil {
            context.principal = try await principal(bearer: try BearerCredential.token(from: request), logger: context.logger)
        } else if let cookie = SessionCookie.value(in: request), let session = try await session(cookie) {
            if audience == .api, request.method != .get, request.method != .head {
                guard let presented = request.headers[HTTPField.Name("X-CSRF-Token")!],
                      SecretToken.constantTimeEquals(presented, session.csrfToken) else {
                    throw APIError.forbidden("missing or wrong X-CSRF-Token for this session", code: "csrf")
                }
            }
            let account = session.account
            context.principal = Principal(actor: account.username, displayName: account.displayName, role: account.role,
                                          scope: account.scope, csrfToken: session.csrfToken)
        } else if audience == .page {
            return Response(status: .seeOther, headers: [.location: "/signin"])
        } else {
            throw APIError.unauthorized("sign in, or send `Authorization: Bearer <admin token>`")
        }
        if let principal = context.principal { context.logger[metadataKey: "actor"] = .string(principal.actor) }
        return try await next(request, context)
    }

    func session(_ cookie: String) async throws -> AccountSession? {
        do {
            return try await store.session(tokenSHA256: SessionCookie.digest(cookie), now: now())
        } catch {
            throw StoreErrorMapping.apiError(for: error, audience: .admin)
        }
    }

    func principal(bearer token: String, logger: Logger) async throws -> Principal {
        if configuredTokens.accepts(token) {
            return Principal(actor: "token:configured", displayName: "token:configured", role: .districtAdmin, scope: nil)
        }
        let grant: AdminTokenGrant
        do {
            grant = try await store.authenticateAdminToken(token)
        } catch {
            throw StoreErrorMapping.apiError(for: error, audience: .admin)
        }
        guard grant.check == .accepted, let label = grant.label else {
            logger.notice("admin token refused", metadata: ["check": "\(grant.check.rawValue)"])
            throw APIError.unauthorized(grant.check == .revoked ? "admin token is revoked" : "not a valid admin token")
        }
        return Principal(actor: "token:\(label)", displayName: label, role: grant.role, scope: grant.scope)
    }
}
