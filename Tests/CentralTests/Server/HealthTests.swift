import CentralServer
import CentralStore
import CheckpointCore
import Foundation
import Testing

/// `/healthz` (real server on loopback, SQLite).
@Suite("Health check")
struct HealthTests {
    @Test("healthz reports the durability read at open, and a database that does not answer is 503 without its error text")
    func healthWithoutWriterAndWithoutErrorText() async throws {
        try await ServerHarness.withSQLite { server in
            let healthy = try await server.send(.GET, "/healthz")
            #expect(healthy.status == 200)
            #expect(try healthy.decode(HealthStatus.self).durability == (try await server.store.durabilitySettings()))
            await server.store.close()
            let down = try await server.send(.GET, "/healthz")
            #expect(down.status == 503)
            #expect(try down.errorBody().error.message == "database does not answer")
        }
    }
}
