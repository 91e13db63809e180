import CentralStore
import CheckpointCore
import Foundation
import Hummingbird

/// Accounts (district admins only) and the audit log (auditors and district admins).
struct AccountRoutes {
    let store: any CentralStorage
    let hasher: PasswordHasher
    let now: @Sendable () -> Date
    /// Ledgers kept as digests are erased by the code's digest (the watch list by the code itself).
    var privacy: CredentialPrivacy = .plain
    var audit: AuditTrail { AuditTrail(store: store, now: now) }

    func register(on group: RouterGroup<CentralRequestContext>) {
        group.get("/v1/accounts", use: list)
        group.post("/v1/accounts", use: create)
        group.post("/v1/accounts/{username}/disable", use: disable)
        group.get("/v1/audit", use: auditLog)
        group.post("/v1/erasure", use: erase)
    }

    /// `POST /v1/erasure` `{"payload": "…"}`: erases every record of that credential (district admins
    /// only), audited by a digest of the code → the counts erased.
    @Sendable func erase(_ request: Request, context: CentralRequestContext) async throws -> Response {
        let principal = try context.require(.eraseRecords)
        let body = try await RequestBodyReader.decodeStrictJSON(ErasureRequest.self, from: request, limit: GateRoutes.maxSmallBodyBytes)
        return try await adminCall {
            var report = try await store.eraseCredential(body.payload, at: now())
            let stored = privacy.stored(body.payload)
            if stored != body.payload {
                let digested = try await store.eraseCredential(stored, at: now())
                report.entries += digested.entries
                report.alerts += digested.alerts
                report.quarantine += digested.quarantine
            }
            try await audit.record(principal, .erasure, target: AuditTrail.credentialTarget(body.payload),
                                   detail: "entries \(report.entries), alerts \(report.alerts), quarantine \(report.quarantine), watch list \(report.other)")
            return try JSONResponse.make(report)
        }
    }

    /// `GET /v1/accounts`: every account (never a password hash).
    @Sendable func list(_ request: Request, context: CentralRequestContext) async throws -> Response {
        _ = try context.require(.manageAccounts)
        return try await adminCall { try JSONResponse.make(try await store.accounts()) }
    }

    /// `POST /v1/accounts` `NewAccount` → 201 `Account`.
    @Sendable func create(_ request: Request, context: CentralRequestContext) async throws -> Response {
        let principal = try context.require(.manageAccounts)
        let body = try await RequestBodyReader.decodeStrictJSON(NewAccount.self, from: request, limit: GateRoutes.maxSmallBodyBytes)
        guard PasswordHasher.lengths.contains(body.password.utf8.count) else {
            throw APIError.badRequest("field `password` must be \(PasswordHasher.lengths.lowerBound)…\(PasswordHasher.lengths.upperBound) bytes",
                                      code: "invalidInput")
        }
        let account = Account(username: body.username, displayName: body.displayName, role: body.role, scope: body.scope,
                              createdAt: now())
        return try await adminCall {
            try await store.createAccount(account, passwordHash: try await hasher.hash(body.password))
            try await audit.record(principal, .accountChange, target: "account \(account.username)",
                                   detail: "created, role \(account.role.rawValue)"
                                       + (account.scope.map { ", scope \($0.level.rawValue) \($0.id)" } ?? ""))
            return try JSONResponse.make(account, status: .created)
        }
    }

    /// `POST /v1/accounts/{username}/disable`: no more sign-ins; its sessions end at once.
    @Sendable func disable(_ request: Request, context: CentralRequestContext) async throws -> Response {
        let principal = try context.require(.manageAccounts)
        guard let username = context.parameters.get("username"), FieldLimits.isValidIdentifier(username) else {
            throw APIError.badRequest("path parameter `username` is not a valid identifier", code: "invalidParameter")
        }
        return try await adminCall {
            try await store.disableAccount(username: username, at: now())
            try await audit.record(principal, .accountChange, target: "account \(username)", detail: "disabled")
            guard let account = try await store.accounts().first(where: { $0.username == username }) else {
                throw APIError.notFound("no account \(username)")
            }
            return try JSONResponse.make(account)
        }
    }

    /// `GET /v1/audit?after=&actor=&action=&limit=`: the audit log, ascending id.
    @Sendable func auditLog(_ request: Request, context: CentralRequestContext) async throws -> Response {
        _ = try context.require(.readAudit)
        let query = QueryParameters(request)
        let after = try query.integer("after", in: 0...Int64.max) ?? 0
        let actions = try query.enumSet("action", of: AuditAction.self)
        guard (actions?.count ?? 0) <= 1 else {
            throw APIError.badRequest("query parameter `action` takes one action", code: "invalidParameter")
        }
        let limit = Int(try query.integer("limit", in: 1...1000) ?? 100)
        let actor = query.string("actor")
        guard (actor?.utf8.count ?? 0) <= 100 else {
            throw APIError.badRequest("`actor` longer than 100 bytes (no actor is)", code: "invalidParameter")
        }
        return try await adminCall {
            try JSONResponse.make(try await store.auditLog(after: after, actor: actor, action: actions?.first, limit: limit))
        }
    }
}

/// The body of `POST /v1/erasure`.
struct ErasureRequest: Codable, Sendable {
    var payload: String
}

/// The body of `POST /v1/accounts`.
struct NewAccount: Codable, Sendable {
    var username: String
    var displayName: String
    var role: Role
    var scope: PlaceScope?
    /// 10…72 bytes; stored only as a bcrypt hash.
    var password: String
}
