import CentralServer
import CentralStore
import CheckpointCore
import Foundation
import Testing

@Suite("Ingest over HTTP on PostgreSQL (the server scripts/test.sh starts)")
struct PostgresIngestTests {
    @Test("On PostgreSQL a batch sent twice is stored once, a conflicting replay is refused with 409, another gate's batch with 403")
    func ingestPathOnPostgres() async throws {
        try await ServerHarness.withPostgres { server in
            let epoch = UUID()
            let batch = Fixtures.batch(gate: "g1", epoch: epoch, count: 10)
            let first = try await server.ingest(batch, as: "g1")
            #expect(first.status == 200)
            #expect(try first.decode(IngestResponse.self).stored.count == 10)
            let second = try await server.ingest(batch, as: "g1")
            #expect(try second.decode(IngestResponse.self).duplicates.count == 10)

            let conflicting = Fixtures.batch(gate: "g1", epoch: epoch, firstSeq: 10, count: 2)
            let refused = try await server.ingest(conflicting, as: "g1")
            #expect(refused.status == 409)
            #expect(try refused.errorBody().error.code == "conflict")

            let foreign = try await server.ingest(Fixtures.batch(gate: "g2", count: 2), as: "g2", bearer: server.credentials["g1"])
            #expect(foreign.status == 403)

            #expect(try await server.storedCount(gate: "g1") == 10)
            #expect(try await server.storedCount(gate: "g2") == 0)
            let alerts = try await server.send(.GET, "/v1/alerts?kind=conflict", bearer: ServerHarness.adminToken)
            #expect(try alerts.decode(AlertPage.self).alerts.map(\.seq) == [10])
        }
    }
}
