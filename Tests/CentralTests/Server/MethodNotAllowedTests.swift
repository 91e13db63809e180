import CentralServer
import CheckpointCore
import Foundation
import Testing

/// Methods a route does not declare (real server on loopback, SQLite).
@Suite("Undeclared methods")
struct MethodNotAllowedTests {
    @Test("A known path with an undeclared method is 405 with Allow; an unknown path stays 404")
    func undeclaredMethodIs405() async throws {
        try await ServerHarness.withSQLite { server in
            let put = try await server.send(.PUT, "/v1/gates/g1", bearer: ServerHarness.adminToken, body: Data("{}".utf8))
            #expect(put.status == 405)
            #expect(put.headers["Allow"].first == "GET")
            #expect(try put.errorBody().error.code == "methodNotAllowed")
            let delete = try await server.send(.DELETE, "/v1/ingest", bearer: server.credentials["g1"])
            #expect(delete.status == 405)
            #expect(delete.headers["Allow"].first == "POST")
            #expect(try await server.send(.GET, "/v1/nothing-here", bearer: ServerHarness.adminToken).status == 404)
        }
    }
}
