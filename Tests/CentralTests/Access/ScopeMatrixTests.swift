import AsyncHTTPClient
import CentralServer
import CentralStore
import CheckpointCore
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// Every reading and administration route × every role, from one table: allowed → anything but 403,
/// not allowed → 403 `notPermitted`. Tokens of each role are issued by the store, scoped to the
/// places of `Fixtures.places` (street s1 → community c1 → checkpoint cp1 → gates g1, g2).
@Suite("Scope matrix: every route × every role (real server on loopback, SQLite)")
struct ScopeMatrixTests {
    struct Route: Sendable {
        let method: HTTPMethod
        /// The router's pattern, to check the table covers every route.
        let pattern: String
        let path: String
        let body: String?
        let allowed: Set<Role>
    }

    static let all = Set(Role.allCases)
    static let readers: Set<Role> = [.districtAdmin, .streetOffice, .community, .checkpointStaff]
    static let identity: Set<Role> = [.districtAdmin, .streetOffice, .community]

    /// The one table.
    static let table: [Route] = [
        Route(method: .GET, pattern: "/v1/gates", path: "/v1/gates", body: nil, allowed: readers),
        Route(method: .POST, pattern: "/v1/gates", path: "/v1/gates", body: #"{"id":"g-new","checkpoint":"cp1"}"#,
              allowed: [.districtAdmin, .streetOffice]),
        Route(method: .GET, pattern: "/v1/gates/{gate}", path: "/v1/gates/g1", body: nil, allowed: readers),
        Route(method: .POST, pattern: "/v1/gates/{gate}/secret", path: "/v1/gates/g2/secret", body: nil,
              allowed: [.districtAdmin, .streetOffice]),
        Route(method: .POST, pattern: "/v1/gates/{gate}/revoke", path: "/v1/gates/g2/revoke", body: nil,
              allowed: [.districtAdmin, .streetOffice]),
        Route(method: .GET, pattern: "/v1/places", path: "/v1/places", body: nil, allowed: all),
        Route(method: .POST, pattern: "/v1/places", path: "/v1/places", body: #"{"streets":[]}"#, allowed: [.districtAdmin]),
        Route(method: .GET, pattern: "/v1/ledgers/{level}/{id}", path: "/v1/ledgers/checkpoint/cp1", body: nil, allowed: readers),
        Route(method: .GET, pattern: "/v1/ledgers/{level}/{id}/hourly", path: "/v1/ledgers/checkpoint/cp1/hourly", body: nil,
              allowed: readers),
        Route(method: .GET, pattern: "/v1/passages", path: "/v1/passages?payload=HC-1", body: nil, allowed: identity),
        Route(method: .GET, pattern: "/v1/quarantine", path: "/v1/quarantine", body: nil, allowed: [.districtAdmin]),
        Route(method: .GET, pattern: "/v1/alerts", path: "/v1/alerts", body: nil, allowed: readers),
        Route(method: .POST, pattern: "/v1/alerts/{alert}/acknowledge", path: "/v1/alerts/1/acknowledge", body: nil,
              allowed: identity),
        Route(method: .GET, pattern: "/v1/alerts/stream", path: "/v1/alerts/stream", body: nil, allowed: readers),
        Route(method: .GET, pattern: "/v1/watchlist/entries", path: "/v1/watchlist/entries", body: nil,
              allowed: [.districtAdmin, .streetOffice]),
        Route(method: .POST, pattern: "/v1/watchlist/entries", path: "/v1/watchlist/entries",
              body: #"{"upserts":[],"removals":[]}"#, allowed: [.districtAdmin]),
        Route(method: .GET, pattern: "/v1/accounts", path: "/v1/accounts", body: nil, allowed: [.districtAdmin]),
        Route(method: .POST, pattern: "/v1/accounts", path: "/v1/accounts",
              body: #"{"username":"new-clerk","displayName":"新","role":"auditor","password":"correct horse battery"}"#,
              allowed: [.districtAdmin]),
        Route(method: .POST, pattern: "/v1/accounts/{username}/disable", path: "/v1/accounts/nobody/disable", body: nil,
              allowed: [.districtAdmin]),
        Route(method: .POST, pattern: "/v1/admin/gates/{gate}/lanes/{lane}/open", path: "/v1/admin/gates/g1/lanes/north/open",
              body: nil, allowed: readers),
        Route(method: .GET, pattern: "/v1/admin/commands/{id}", path: "/v1/admin/commands/0190a9f3-2b4c-7d5e-8f60-718293a4b5c6",
              body: nil, allowed: readers),
        Route(method: .GET, pattern: "/v1/audit", path: "/v1/audit", body: nil, allowed: [.districtAdmin, .auditor]),
        Route(method: .GET, pattern: "/v1/registrations", path: "/v1/registrations", body: nil, allowed: readers),
        Route(method: .GET, pattern: "/v1/webhook/deliveries", path: "/v1/webhook/deliveries", body: nil, allowed: [.districtAdmin]),
        Route(method: .POST, pattern: "/v1/erasure", path: "/v1/erasure", body: #"{"payload":"NOBODY-1"}"#, allowed: [.districtAdmin]),
        Route(method: .GET, pattern: "/v1/profiles/gates", path: "/v1/profiles/gates", body: nil, allowed: readers),
        Route(method: .GET, pattern: "/v1/profiles/{level}/{place}", path: "/v1/profiles/checkpoint/cp1", body: nil, allowed: readers),
        Route(method: .PUT, pattern: "/v1/profiles/{level}/{place}", path: "/v1/profiles/checkpoint/cp1", body: #"{"toml":""}"#,
              allowed: [.districtAdmin, .streetOffice]),
        Route(method: .POST, pattern: "/v1/clips", path: "/v1/clips", body: #"{"not":"a WAV file"}"#, allowed: [.districtAdmin, .streetOffice]),
    ]

    static let scopes: [Role: PlaceScope?] = [
        .districtAdmin: nil, .auditor: nil, .streetOffice: PlaceScope(level: .street, id: "s1"),
        .community: PlaceScope(level: .community, id: "c1"), .checkpointStaff: PlaceScope(level: .checkpoint, id: "cp1"),
    ]

    @Test("Every reading and administration route answers each role as the table says: allowed, or 403 notPermitted")
    func matrix() async throws {
        try await ServerHarness.withSQLite { server in
            // One fever alert, so that acknowledging alert 1 has something to acknowledge.
            let epoch = UUID()
            let fever = Fixtures.record(gate: "g1", epoch: epoch, seq: 1, celsius: 38.4, decision: .refer, reason: .fever)
            #expect(try await server.ingest(IngestBatch(gate: "g1", records: [fever]), as: "g1").status == 200)
            var tokens: [Role: String] = [:]
            for role in Role.allCases {
                tokens[role] = try await server.store.createAdminToken(label: "t-\(role.rawValue)", role: role,
                                                                       scope: Self.scopes[role] ?? nil, at: Date()).secret
            }
            for route in Self.table {
                for role in Role.allCases {
                    let reply = try await Self.status(server, route, bearer: try #require(tokens[role]))
                    if route.allowed.contains(role) {
                        #expect(reply.status != 403 && reply.status != 401 && reply.status < 500,
                                "\(route.method) \(route.path) as \(role.rawValue): \(reply.status) \(reply.code ?? "")")
                    } else {
                        #expect(reply.status == 403 && reply.code == "notPermitted",
                                "\(route.method) \(route.path) as \(role.rawValue): \(reply.status) \(reply.code ?? "")")
                    }
                }
            }
        }
    }

    @Test("The table covers every route that needs an admin token or a session")
    func tableIsComplete() async throws {
        try await ServerHarness.withSQLite { server in
            let router = CentralServer.makeRouter(store: server.store, configuration: CentralServerConfiguration(),
                                                  metrics: ServerMetrics(), openAPIText: nil)
            let open: Set<String> = ["GET /openapi.yaml", "GET /metrics", "GET /healthz",
                                     "POST /v1/ingest", "POST /v1/heartbeat", "GET /v1/watchlist", "GET /v1/profile", "GET /v1/clips/{sha256}",
                                     "GET /v1/commands", "POST /v1/commands/{id}/ack"]
            let served = Set(router.routes.map { "\($0.method.rawValue) \($0.path.description)" })
                .filter { $0.contains(" /v1/") }.subtracting(open)
            let tabled = Set(Self.table.map { "\($0.method.rawValue) \($0.pattern)" })
            #expect(served == tabled)
        }
    }

    /// Status and error code of one request; the alert stream is read only up to its head.
    static func status(_ server: ServerHarness, _ route: Route, bearer: String) async throws -> (status: Int, code: String?) {
        var request = HTTPClientRequest(url: server.baseURL + route.path)
        request.method = route.method
        request.headers.add(name: "Authorization", value: "Bearer \(bearer)")
        if let body = route.body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(20))
        let status = Int(response.status.code)
        if response.headers["Content-Type"].first?.hasPrefix("text/event-stream") == true { return (status, nil) }
        let bytes = try await response.body.collect(upTo: 16 * 1024 * 1024)
        let code = try? CheckpointJSON.decoder().decode(APIErrorBody.self, from: Data(bytes.readableBytesView)).error.code
        return (status, code)
    }
}
