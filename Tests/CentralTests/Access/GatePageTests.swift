import CentralServer
import CentralStore
import CheckpointCore
import Foundation
import Testing

/// The gates page over real HTTP (no browser): the "open once" form for accounts with `openGates`,
/// its CSRF check and the command it creates; each gate's profile versions and refusal.
@Suite("Gates page: open once and profile versions (real server on loopback, SQLite)")
struct GatePageTests {
    static let password = SignInTests.password

    /// A street-office account `wang.fang` on s1 and an auditor `zhao.lei`, both signed up in `server`'s store.
    static func withAccounts(_ body: (ServerHarness) async throws -> Void) async throws {
        try await ServerHarness.withSQLite { server in
            let hash = try await PasswordHasher(cost: 4).hash(password)
            try await server.store.createAccount(Account(username: "wang.fang", displayName: "王芳", role: .streetOffice,
                                                         scope: PlaceScope(level: .street, id: "s1"), createdAt: Date()),
                                                 passwordHash: hash)
            try await server.store.createAccount(Account(username: "zhao.lei", displayName: "赵磊", role: .auditor, scope: nil,
                                                         createdAt: Date()), passwordHash: hash)
            try await body(server)
        }
    }

    /// Signs `username` in; returns the session cookie (`name=value`).
    static func session(_ server: ServerHarness, _ username: String) async throws -> String {
        let cookie = try #require(try await SignInTests.signIn(server, username: username, password: password).cookie(SessionCookie.name))
        return String(cookie.split(separator: ";")[0])
    }

    @Test("A street-office account sees an open-once form on each active gate; an auditor gets no gates page at all")
    func openOnceButtonFollowsThePermission() async throws {
        try await Self.withAccounts { server in
            let office = try await SignInTests.request(server, .GET, "/ui/gates?lang=en", cookies: [try await Self.session(server, "wang.fang")])
            #expect(office.status == 200)
            #expect(office.text.matches(of: /action="\/ui\/gates\/open"/).count == 2)
            #expect(office.text.contains("Open once"))
            let auditor = try await SignInTests.request(server, .GET, "/ui/gates?lang=en", cookies: [try await Self.session(server, "zhao.lei")])
            #expect(auditor.status == 403)
            #expect(!auditor.text.contains("/ui/gates/open"))
        }
    }

    @Test("Open once posted without the form's CSRF token is refused and creates no command")
    func openOnceNeedsTheFormToken() async throws {
        try await Self.withAccounts { server in
            let session = try await Self.session(server, "wang.fang")
            let forged = try await SignInTests.request(server, .POST, "/ui/gates/open", cookies: [session], form: "gate=g1&lane=north")
            #expect(forged.status == 403)
            #expect(forged.text.contains("csrf"))
            let wrong = try await SignInTests.request(server, .POST, "/ui/gates/open", cookies: [session],
                                                      form: "csrf=\(String(repeating: "a", count: 64))&gate=g1&lane=north")
            #expect(wrong.status == 403)
            #expect(try await server.store.pendingCommands(gate: "g1", now: Date()).isEmpty)
        }
    }

    @Test("Open once with the form's token creates the gate's command by the account, audited, and redirects with a notice")
    func openOnceCreatesTheCommand() async throws {
        try await Self.withAccounts { server in
            let session = try await Self.session(server, "wang.fang")
            let page = try await SignInTests.request(server, .GET, "/ui/gates?lang=en", cookies: [session])
            let csrf = try #require(page.text.firstMatch(of: /name="csrf" value="([0-9a-f]{64})"/)?.1)
            let posted = try await SignInTests.request(server, .POST, "/ui/gates/open", cookies: [session],
                                                       form: "csrf=\(csrf)&gate=g1&lane=north")
            #expect(posted.status == 303)
            let location = try #require(posted.headers["Location"].first)
            let id = try #require(location.firstMatch(of: /opened=([0-9a-f-]{36})/).flatMap { UUID(uuidString: String($0.1)) })
            let stored = try #require(try await server.store.command(id))
            #expect(stored.gate == "g1")
            #expect(stored.command.lane == "north")
            #expect(stored.command.requestedBy.contains("wang.fang"))
            let audit = try await server.store.auditLog(after: 0, actor: nil, action: .remoteOpen, limit: 10)
            #expect(audit.count == 1)
            #expect(audit.first?.target == "gate g1 lane north")
            let notice = try await SignInTests.request(server, .GET, location + "&lang=en", cookies: [session])
            #expect(notice.text.contains("Open once sent:"))
            #expect(notice.text.contains(id.uuidString.lowercased()))
        }
    }

    @Test("An auditor's open-once post is refused even with a valid session")
    func auditorCannotOpen() async throws {
        try await Self.withAccounts { server in
            let session = try await Self.session(server, "zhao.lei")
            let refused = try await SignInTests.request(server, .POST, "/ui/gates/open", cookies: [session], form: "gate=g1&lane=north")
            #expect(refused.status == 403)
            #expect(try await server.store.pendingCommands(gate: "g1", now: Date()).isEmpty)
        }
    }

    @Test("Each gate's row shows its applied profile version and, after a gate reported one, the refused version and why")
    func profileRefusalIsShown() async throws {
        try await Self.withAccounts { server in
            let refusal = "profile:7:policy.feverCelsius: must be between 37.0 and 39.0"
            _ = try await server.store.recordHeartbeat(
                gate: "g2", ProfileConformanceTests.beat("g2", profile: ProfileReport(appliedVersion: 2, refusedVersion: 3, refusal: refusal)),
                receivedAt: Date())
            let page = try await SignInTests.request(server, .GET, "/ui/gates?lang=en", cookies: [try await Self.session(server, "wang.fang")])
            #expect(page.status == 200)
            let row = try #require(page.text.firstMatch(of: /<tr id="gate-g2">[\s\S]*?<\/tr>/).map { String($0.0) })
            #expect(row.contains("v2 (current v0)"))
            #expect(row.contains("refused v3: \(refusal)"))
            let other = try #require(page.text.firstMatch(of: /<tr id="gate-g1">[\s\S]*?<\/tr>/).map { String($0.0) })
            #expect(other.contains("— (current v0)"))
            #expect(!other.contains("refused"))
        }
    }
}
