import CentralStore
import CheckpointCore
import Foundation
import Testing

/// Accounts, sessions, the audit log, scoped admin tokens and alert acknowledgement, on SQLite and
/// PostgreSQL (migration 2).
@Suite("Central store conformance: accounts, sessions, audit (SQLite and PostgreSQL)")
struct AccountConformanceTests {
    typealias F = StoreFixture

    static func clerk(_ name: String = "li.ming", role: Role = .community, scope: PlaceScope? = PlaceScope(level: .community, id: "hexi"))
        -> Account {
        Account(username: name, displayName: "李明", role: role, scope: scope, createdAt: F.base)
    }

    @Test("An account is created once with its role and scope, and its hash is returned only through accountCredentials",
          arguments: StoreEngine.allCases)
    func accounts(engine: StoreEngine) async throws {
        try await withStore(engine) { f, _ in
            try await f.store.createAccount(Self.clerk(), passwordHash: "$2b$04$hash")
            #expect(try await f.store.accounts() == [Self.clerk()])
            let found = try #require(try await f.store.accountCredentials(username: "li.ming"))
            #expect(found.passwordHash == "$2b$04$hash")
            #expect(found.account.scope == PlaceScope(level: .community, id: "hexi"))
            #expect(try await f.store.accountCredentials(username: "nobody") == nil)
            await #expect(throws: CentralStoreError.self) { try await f.store.createAccount(Self.clerk(), passwordHash: "x") }
            try await f.store.setPasswordHash(username: "li.ming", passwordHash: "$2b$04$other")
            #expect(try await f.store.accountCredentials(username: "li.ming")?.passwordHash == "$2b$04$other")
            await #expect(throws: CentralStoreError.notFound("account nobody")) {
                try await f.store.setPasswordHash(username: "nobody", passwordHash: "x")
            }
        }
    }

    @Test("A scope that does not fit the role, or names no place, is refused", arguments: StoreEngine.allCases)
    func scopesMustFit(engine: StoreEngine) async throws {
        try await withStore(engine) { f, _ in
            let wrongLevel = Self.clerk(scope: PlaceScope(level: .street, id: "wenhua"))
            await #expect(throws: CentralStoreError.self) { try await f.store.createAccount(wrongLevel, passwordHash: "x") }
            let missing = Self.clerk(scope: nil)
            await #expect(throws: CentralStoreError.self) { try await f.store.createAccount(missing, passwordHash: "x") }
            let admin = Self.clerk("boss", role: .districtAdmin, scope: PlaceScope(level: .street, id: "wenhua"))
            await #expect(throws: CentralStoreError.self) { try await f.store.createAccount(admin, passwordHash: "x") }
            let nowhere = Self.clerk(scope: PlaceScope(level: .community, id: "nowhere"))
            await #expect(throws: CentralStoreError.unknownPlace(.community, "nowhere")) {
                try await f.store.createAccount(nowhere, passwordHash: "x")
            }
            let created = try await f.store.accounts()
            #expect(created.isEmpty)
        }
    }

    @Test("A session is found by its digest until it expires, is signed out, or its account is disabled",
          arguments: StoreEngine.allCases)
    func sessions(engine: StoreEngine) async throws {
        try await withStore(engine) { f, _ in
            try await f.store.createAccount(Self.clerk(), passwordHash: "h")
            let later = F.base.addingTimeInterval(3600)
            try await f.store.createSession(username: "li.ming", tokenSHA256: "aa", csrfToken: "csrf-1", expiresAt: later, at: F.base)
            try await f.store.createSession(username: "li.ming", tokenSHA256: "bb", csrfToken: "csrf-2", expiresAt: later, at: F.base)
            let session = try #require(try await f.store.session(tokenSHA256: "aa", now: F.base))
            #expect(session.account.username == "li.ming")
            #expect(session.csrfToken == "csrf-1")
            #expect(try await f.store.session(tokenSHA256: "aa", now: later) == nil)
            #expect(try await f.store.session(tokenSHA256: "zz", now: F.base) == nil)
            try await f.store.deleteSession(tokenSHA256: "aa", now: F.base)
            #expect(try await f.store.session(tokenSHA256: "aa", now: F.base) == nil)
            #expect(try await f.store.session(tokenSHA256: "bb", now: F.base) != nil)
            try await f.store.disableAccount(username: "li.ming", at: F.base)
            #expect(try await f.store.session(tokenSHA256: "bb", now: F.base) == nil)
            #expect(try await f.store.accounts().first?.disabledAt == F.base)
        }
    }

    @Test("The audit log appends in order, filters by actor and action, and refuses oversized fields",
          arguments: StoreEngine.allCases)
    func auditLog(engine: StoreEngine) async throws {
        try await withStore(engine) { f, _ in
            let first = try await f.store.appendAudit(AuditEvent(at: F.base, actor: "li.ming", action: .passageLookup, target: "sha256:ab"))
            let second = try await f.store.appendAudit(AuditEvent(at: F.base, actor: "cli", action: .secretIssue, target: "gate g1",
                                                                  detail: "rotated"))
            #expect(second > first)
            let all = try await f.store.auditLog(after: 0, actor: nil, action: nil, limit: 10)
            #expect(all.map(\.action) == [.passageLookup, .secretIssue])
            #expect(all.last?.detail == "rotated")
            #expect(try await f.store.auditLog(after: first, actor: nil, action: nil, limit: 10).map(\.id) == [second])
            #expect(try await f.store.auditLog(after: 0, actor: "li.ming", action: nil, limit: 10).count == 1)
            #expect(try await f.store.auditLog(after: 0, actor: nil, action: .secretIssue, limit: 10).map(\.id) == [second])
            await #expect(throws: CentralStoreError.self) {
                try await f.store.appendAudit(AuditEvent(at: F.base, actor: "x", action: .export, target: String(repeating: "t", count: 400)))
            }
        }
    }

    @Test("Admin tokens carry a role and scope; old-style creation makes a district admin", arguments: StoreEngine.allCases)
    func scopedTokens(engine: StoreEngine) async throws {
        try await withStore(engine) { f, _ in
            let scoped = try await f.store.createAdminToken(label: "hexi", role: .community,
                                                            scope: PlaceScope(level: .community, id: "hexi"), at: F.base)
            let grant = try await f.store.authenticateAdminToken(scoped.secret)
            #expect(grant == AdminTokenGrant(check: .accepted, label: "hexi", role: .community, scope: PlaceScope(level: .community, id: "hexi")))
            let plain = try await f.store.createAdminToken(label: "ops", at: F.base)
            #expect(try await f.store.authenticateAdminToken(plain.secret).role == .districtAdmin)
            await #expect(throws: CentralStoreError.self) {
                _ = try await f.store.createAdminToken(label: "bad", role: .auditor, scope: PlaceScope(level: .street, id: "wenhua"), at: F.base)
            }
            #expect(try await f.store.adminTokens().map(\.role) == [.community, .districtAdmin])
        }
    }

    @Test("An alert is acknowledged once with who and when; an unknown alert is notFound", arguments: StoreEngine.allCases)
    func acknowledgement(engine: StoreEngine) async throws {
        try await withStore(engine) { f, _ in
            let fever = F.record(epoch: UUID(), seq: 1, decision: .refer, reason: .fever, celsius: 38.5)
            _ = try await f.store.ingest(gate: "g1", records: [fever], receivedAt: F.base)
            let alert = try #require(try await f.store.alerts(AlertQuery()).alerts.first)
            #expect(alert.acknowledgedBy == nil)
            let at = F.base.addingTimeInterval(90)
            let acknowledged = try await f.store.acknowledgeAlert(alert.id, by: "li.ming", at: at)
            #expect(acknowledged.acknowledgedBy == "li.ming")
            #expect(acknowledged.acknowledgedAt == at)
            let again = try await f.store.acknowledgeAlert(alert.id, by: "wang", at: at.addingTimeInterval(60))
            #expect(again.acknowledgedBy == "li.ming")
            #expect(try await f.store.alerts(AlertQuery()).alerts.first?.acknowledgedAt == at)
            await #expect(throws: CentralStoreError.notFound("alert 999")) { _ = try await f.store.acknowledgeAlert(999, by: "x", at: at) }
        }
    }
}
