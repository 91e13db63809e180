import AsyncHTTPClient
import CentralServer
import CentralStore
import CheckpointCore
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// Signing in on the page over real HTTP (no browser): the form's double-submit token, the session
/// cookie's attributes, CSRF on state-changing API calls, the per-username throttle, sign-out.
@Suite("Sign-in, sessions and CSRF (real server on loopback, SQLite)")
struct SignInTests {
    static let password = "a long enough password"
    /// A client that shows redirects instead of following them (kept for the whole test run).
    static let client = HTTPClient(eventLoopGroupProvider: .singleton,
                                   configuration: HTTPClient.Configuration(redirectConfiguration: .disallow))

    /// A community account `li.ming` on c1.
    static func withAccount(_ body: (ServerHarness) async throws -> Void) async throws {
        try await ServerHarness.withSQLite { server in
            let account = Account(username: "li.ming", displayName: "李明", role: .community,
                                  scope: PlaceScope(level: .community, id: "c1"), createdAt: Date())
            try await server.store.createAccount(account, passwordHash: try await PasswordHasher(cost: 4).hash(password))
            try await body(server)
        }
    }

    struct Reply {
        var status: Int
        var headers: HTTPHeaders
        var text: String
        func cookie(_ name: String) -> String? {
            headers["Set-Cookie"].first { $0.hasPrefix(name + "=") }
        }
    }

    static func request(_ server: ServerHarness, _ method: HTTPMethod, _ path: String, cookies: [String] = [],
                        headers: [(String, String)] = [], form: String? = nil) async throws -> Reply {
        var request = HTTPClientRequest(url: server.baseURL + path)
        request.method = method
        if !cookies.isEmpty { request.headers.add(name: "Cookie", value: cookies.joined(separator: "; ")) }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let form {
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: form))
        }
        let response = try await client.execute(request, timeout: .seconds(20))
        let body = try await response.body.collect(upTo: 4 * 1024 * 1024)
        return Reply(status: Int(response.status.code), headers: response.headers, text: String(buffer: body))
    }

    /// GET /signin, then POST it with `password`; returns the reply to the POST.
    static func signIn(_ server: ServerHarness, username: String = "li.ming", password: String) async throws -> Reply {
        let form = try await request(server, .GET, "/signin")
        let cookie = try #require(form.cookie(SessionCookie.signInName)).split(separator: ";")[0]
        let token = try #require(form.text.firstMatch(of: /name="csrf" value="([0-9a-f]{64})"/)?.1)
        return try await request(server, .POST, "/signin", cookies: [String(cookie)],
                                 form: "csrf=\(token)&username=\(username)&password=\(password.replacingOccurrences(of: " ", with: "+"))")
    }

    @Test("The right password gives an HttpOnly, SameSite=Strict session cookie and the overview; the page then knows the person")
    func signInGivesASession() async throws {
        try await Self.withAccount { server in
            let reply = try await Self.signIn(server, password: Self.password)
            #expect(reply.status == 303)
            #expect(reply.headers["Location"].first == "/ui")
            let cookie = try #require(reply.cookie(SessionCookie.name))
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Strict"))
            let session = String(cookie.split(separator: ";")[0])
            let page = try await Self.request(server, .GET, "/ui", cookies: [session])
            #expect(page.status == 200)
            #expect(page.text.contains("李明"))
            #expect(try await Self.request(server, .GET, "/ui").status == 303)
        }
    }

    @Test("A sign-in form posted without its own token is refused (login CSRF)")
    func signInNeedsItsFormToken() async throws {
        try await Self.withAccount { server in
            let forged = try await Self.request(server, .POST, "/signin", form: "csrf=\(String(repeating: "a", count: 64))&username=li.ming&password=x")
            #expect(forged.status == 403)
        }
    }

    @Test("With the session cookie, a state-changing API call needs the session's X-CSRF-Token; reads do not")
    func apiCallsNeedTheCSRFToken() async throws {
        try await Self.withAccount { server in
            let fever = Fixtures.record(gate: "g1", epoch: UUID(), seq: 1, celsius: 38.5, decision: .refer, reason: .fever)
            #expect(try await server.ingest(IngestBatch(gate: "g1", records: [fever]), as: "g1").status == 200)
            let cookie = try #require(try await Self.signIn(server, password: Self.password).cookie(SessionCookie.name))
            let session = String(cookie.split(separator: ";")[0])
            #expect(try await Self.request(server, .GET, "/v1/alerts", cookies: [session]).status == 200)
            let without = try await Self.request(server, .POST, "/v1/alerts/1/acknowledge", cookies: [session])
            #expect(without.status == 403)
            #expect(without.text.contains("\"csrf\""))
            let page = try await Self.request(server, .GET, "/ui/alerts", cookies: [session])
            let csrf = try #require(page.text.firstMatch(of: /name="csrf-token" content="([0-9a-f]{64})"/)?.1)
            let with = try await Self.request(server, .POST, "/v1/alerts/1/acknowledge", cookies: [session],
                                              headers: [("X-CSRF-Token", String(csrf))])
            #expect(with.status == 200)
            #expect(with.text.contains("\"acknowledgedBy\":\"li.ming\""))
        }
    }

    @Test("Five wrong passwords lock the username: the sixth try is 429 with Retry-After even with the right password")
    func failedSignInsAreRateLimited() async throws {
        try await Self.withAccount { server in
            for _ in 1...5 {
                #expect(try await Self.signIn(server, password: "wrong password 123").status == 401)
            }
            let locked = try await Self.signIn(server, password: Self.password)
            #expect(locked.status == 429)
            #expect(Int(locked.headers["Retry-After"].first ?? "") ?? 0 > 0)
            #expect(locked.cookie(SessionCookie.name) == nil)
            let log = try await server.store.auditLog(after: 0, actor: nil, action: .signIn, limit: 100)
            #expect(log.filter { $0.detail == "refused" }.count == 5)
        }
    }

    @Test("Signing out ends the session at once")
    func signOutEndsTheSession() async throws {
        try await Self.withAccount { server in
            let cookie = try #require(try await Self.signIn(server, password: Self.password).cookie(SessionCookie.name))
            let session = String(cookie.split(separator: ";")[0])
            let page = try await Self.request(server, .GET, "/ui", cookies: [session])
            let csrf = try #require(page.text.firstMatch(of: /name="csrf" value="([0-9a-f]{64})"/)?.1)
            let out = try await Self.request(server, .POST, "/signout", cookies: [session], form: "csrf=\(csrf)")
            #expect(out.status == 303)
            #expect(try await Self.request(server, .GET, "/ui", cookies: [session]).status == 303)
            #expect(try await Self.request(server, .GET, "/v1/alerts", cookies: [session]).status == 401)
        }
    }
}
