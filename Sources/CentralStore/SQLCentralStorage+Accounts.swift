import CheckpointCore
import Foundation

extension SQLCentralStorage {
    static let maxAuditTargetBytes = 300
    static let maxAuditDetailBytes = 2_000

    public func createAccount(_ account: Account, passwordHash: String) async throws {
        guard FieldLimits.isValidIdentifier(account.username) else {
            throw CentralStoreError.invalidInput("username \"\(account.username)\" is not 1…64 of A–Z a–z 0–9 . _ -")
        }
        guard !account.displayName.isEmpty, account.displayName.utf8.count <= Self.maxNameBytes else {
            throw CentralStoreError.invalidInput("display name must be 1…\(Self.maxNameBytes) bytes")
        }
        guard !passwordHash.isEmpty else { throw CentralStoreError.invalidInput("empty password hash") }
        try Self.checkScope(account.scope, fits: account.role)
        try await write { session in
            try await PlaceSQL.requireExists(account.scope, in: session)
            let existing = try await session.query("SELECT 1 FROM accounts WHERE username = ?", [.text(account.username)])
            guard existing.isEmpty else { throw CentralStoreError.invalidInput("username \(account.username) is already in use") }
            try await session.execute("""
                INSERT INTO accounts (username, display_name, role, scope_level, scope_id, password_hash, created_at_ms, disabled_at_ms)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, [.text(account.username), .text(account.displayName), .text(account.role.rawValue),
                      .optional(account.scope?.level.rawValue), .optional(account.scope?.id), .text(passwordHash),
                      .millis(account.createdAt), .millis(account.disabledAt)])
        }
    }

    static let accountColumns = "username, display_name, role, scope_level, scope_id, created_at_ms, disabled_at_ms"

    static func account(_ row: SQLRow) throws -> Account {
        Account(username: try row.text(0), displayName: try row.text(1), role: try row.rawEnum(2, as: Role.self),
                scope: try scope(row, level: 3, id: 4), createdAt: try row.date(5), disabledAt: try row.optionalDate(6))
    }

    public func accountCredentials(username: String) async throws -> (account: Account, passwordHash: String)? {
        let rows = try await read { session in
            try await session.query("SELECT \(Self.accountColumns), password_hash FROM accounts WHERE username = ?", [.text(username)])
        }
        guard let row = rows.first else { return nil }
        return (try Self.account(row), try row.text(7))
    }

    public func accounts() async throws -> [Account] {
        try await read { session in
            try await session.query("SELECT \(Self.accountColumns) FROM accounts ORDER BY username").map(Self.account)
        }
    }

    public func setPasswordHash(username: String, passwordHash: String) async throws {
        guard !passwordHash.isEmpty else { throw CentralStoreError.invalidInput("empty password hash") }
        let rows = try await write { session in
            try await session.query("UPDATE accounts SET password_hash = ? WHERE username = ? RETURNING username",
                                    [.text(passwordHash), .text(username)])
        }
        guard !rows.isEmpty else { throw CentralStoreError.notFound("account \(username)") }
    }

    public func disableAccount(username: String, at: Date) async throws {
        try await write { session in
            let rows = try await session.query("""
                UPDATE accounts SET disabled_at_ms = COALESCE(disabled_at_ms, ?) WHERE username = ? RETURNING username
                """, [.millis(at), .text(username)])
            guard !rows.isEmpty else { throw CentralStoreError.notFound("account \(username)") }
            try await session.execute("DELETE FROM sessions WHERE username = ?", [.text(username)])
        }
    }

    public func createSession(username: String, tokenSHA256: String, csrfToken: String, expiresAt: Date, at: Date) async throws {
        try await write { session in
            try await session.execute("""
                INSERT INTO sessions (token_sha256, username, csrf_token, created_at_ms, expires_at_ms) VALUES (?, ?, ?, ?, ?)
                """, [.text(tokenSHA256), .text(username), .text(csrfToken), .millis(at), .millis(expiresAt)])
        }
    }

    public func session(tokenSHA256: String, now: Date) async throws -> AccountSession? {
        let columns = Self.accountColumns.split(separator: ",").map { "a." + $0.trimmingCharacters(in: .whitespaces) }
            .joined(separator: ", ")
        let rows = try await read { session in
            try await session.query("""
                SELECT \(columns), s.csrf_token, s.expires_at_ms FROM sessions s JOIN accounts a ON a.username = s.username
                WHERE s.token_sha256 = ? AND s.expires_at_ms > ? AND a.disabled_at_ms IS NULL
                """, [.text(tokenSHA256), .millis(now)])
        }
        guard let row = rows.first else { return nil }
        return AccountSession(account: try Self.account(row), csrfToken: try row.text(7), expiresAt: try row.date(8))
    }

    public func deleteSession(tokenSHA256: String, now: Date) async throws {
        try await write { session in
            try await session.execute("DELETE FROM sessions WHERE token_sha256 = ? OR expires_at_ms <= ?",
                                      [.text(tokenSHA256), .millis(now)])
        }
    }

    @discardableResult
    public func appendAudit(_ event: AuditEvent) async throws -> Int64 {
        guard !event.actor.isEmpty, event.actor.utf8.count <= 100 else {
            throw CentralStoreError.invalidInput("audit actor must be 1…100 bytes")
        }
        guard event.target.utf8.count <= Self.maxAuditTargetBytes, event.detail.utf8.count <= Self.maxAuditDetailBytes else {
            throw CentralStoreError.invalidInput("audit target over \(Self.maxAuditTargetBytes) or detail over \(Self.maxAuditDetailBytes) bytes")
        }
        return try await write { session in
            let rows = try await session.query("""
                INSERT INTO audit_log (at_ms, actor, action, target, detail) VALUES (?, ?, ?, ?, ?) RETURNING id
                """, [.millis(event.at), .text(event.actor), .text(event.action.rawValue), .text(event.target), .text(event.detail)])
            guard let id = try rows.first?.int(0) else { throw CentralStoreError.engine("audit insert returned no id") }
            return id
        }
    }

    public func auditLog(after: Int64, actor: String?, action: AuditAction?, limit: Int) async throws -> [AuditEvent] {
        var sql = "SELECT id, at_ms, actor, action, target, detail FROM audit_log WHERE id > ?"
        var arguments: [SQLValue] = [.int(after)]
        if let actor {
            sql += " AND actor = ?"
            arguments.append(.text(actor))
        }
        if let action {
            sql += " AND action = ?"
            arguments.append(.text(action.rawValue))
        }
        sql += " ORDER BY id LIMIT ?"
        arguments.append(.int(Int64(Self.clamp(limit, 1_000))))
        let query = (sql: sql, arguments: arguments)
        return try await read { session in
            try await session.query(query.sql, query.arguments).map { row in
                AuditEvent(id: try row.int(0), at: try row.date(1), actor: try row.text(2),
                           action: try row.rawEnum(3, as: AuditAction.self), target: try row.text(4), detail: try row.text(5))
            }
        }
    }
}
