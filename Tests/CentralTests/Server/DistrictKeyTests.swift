import CentralServer
import CentralStore
import CheckpointCore
import CredentialDigest
import Foundation
import Testing

/// The store with the district key (`serve --district-key-file`): the watch list leaves for gates
/// as keyed digests, and with `--keep-digests-only` the ledgers hold digests, not codes.
@Suite("The district key at the central store")
struct DistrictKeyTests {
    static let key = "district-key-for-tests-0123456789"
    static var digester: CredentialDigester { get throws { try CredentialDigester(districtKey: key) } }

    func upsert(_ server: ServerHarness, _ json: String) async throws {
        let reply = try await server.send(.POST, "/v1/watchlist/entries", bearer: ServerHarness.adminToken, body: Data(json.utf8))
        #expect(reply.status == 200, "watch-list change: \(String(decoding: reply.body, as: UTF8.self))")
    }

    @Test("Gates receive the watch list as keyed digests without reasons, removals digested too")
    func watchListForGates() async throws {
        let digester = try Self.digester
        try await ServerHarness.withSQLite(privacy: CredentialPrivacy(digester: digester)) { server in
            try await upsert(server, #"{"upserts":[{"credential":"HC-ISO-1","colour":"red","isolation":true,"reason":"居家隔离 12 号楼"},"#
                             + #"{"credential":"HC-Y-2","colour":"yellow","isolation":false,"reason":"复查"}],"removals":[]}"#)
            let first = try await server.send(.GET, "/v1/watchlist?since=0", bearer: server.credentials["g1"])
            let body = String(decoding: first.body, as: UTF8.self)
            #expect(first.status == 200)
            #expect(!body.contains("HC-ISO-1") && !body.contains("居家隔离"), "neither the code nor the reason leaves the store")
            let delta = try first.decode(WatchListDelta.self)
            #expect(delta.keyed)
            #expect(Set(delta.upserts.map(\.credential)) == [digester.digest("HC-ISO-1"), digester.digest("HC-Y-2")])
            #expect(delta.upserts.allSatisfy { $0.reason.isEmpty })

            try await upsert(server, #"{"upserts":[],"removals":["HC-Y-2"]}"#)
            let next = try await server.send(.GET, "/v1/watchlist?since=\(delta.version)", bearer: server.credentials["g1"])
            #expect(try next.decode(WatchListDelta.self).removals == [digester.digest("HC-Y-2")])
        }
    }

    @Test("Without the district key the watch list leaves as scanned codes and says it is not keyed")
    func plainWatchList() async throws {
        try await ServerHarness.withSQLite { server in
            try await upsert(server, #"{"upserts":[{"credential":"HC-ISO-1","colour":"red","isolation":true,"reason":"x"}],"removals":[]}"#)
            let delta = try await server.send(.GET, "/v1/watchlist", bearer: server.credentials["g1"]).decode(WatchListDelta.self)
            #expect(!delta.keyed && delta.upserts.map(\.credential) == ["HC-ISO-1"])
        }
    }

    @Test("With digests only, a record's code is stored as its digest and found again by the code", arguments: [false, true])
    func ledgersKeepDigests(postgres: Bool) async throws {
        let digester = try Self.digester
        let privacy = CredentialPrivacy(digester: digester, keepDigestsOnly: true)
        let body: (ServerHarness) async throws -> Void = { server in
            let epoch = UUID()
            let batch = IngestBatch(gate: "g1", records: [Fixtures.record(gate: "g1", epoch: epoch, seq: 1, payload: "HC-PERSON-7"),
                                                          Fixtures.record(gate: "g1", epoch: epoch, seq: 2, payload: "HC-PERSON-7"),
                                                          Fixtures.record(gate: "g1", epoch: epoch, seq: 3, payload: "HC-OTHER-8")])
            #expect(try await server.ingest(batch, as: "g1").status == 200)
            let page = try await server.store.entries(LedgerQuery(scope: PlaceScope(level: .gate, id: "g1"), range: Fixtures.allTime, limit: 10))
            #expect(page.entries.map { $0.record.credential?.payload } == ["HC-PERSON-7", "HC-PERSON-7", "HC-OTHER-8"].map(digester.digest))

            let found = try await server.send(.GET, "/v1/passages?payload=HC-PERSON-7", bearer: ServerHarness.adminToken)
            #expect(found.status == 200)
            #expect(try found.decode(PassagesResponse.self).passages.count == 2, "the same code is recognised again")

            let erased = try await server.send(.POST, "/v1/erasure", bearer: ServerHarness.adminToken, body: Data(#"{"payload":"HC-PERSON-7"}"#.utf8))
            #expect(erased.status == 200)
            #expect(try erased.decode(PurgeReport.self).entries == 2)
            #expect(try await server.storedCount(gate: "g1") == 1)
        }
        if postgres {
            try await ServerHarness.withPostgres(privacy: privacy, body)
        } else {
            try await ServerHarness.withSQLite(privacy: privacy, body)
        }
    }

    @Test("With digests only, the scanned code is nowhere in the SQLite files")
    func codeNotInDatabaseFile() async throws {
        let privacy = CredentialPrivacy(digester: try Self.digester, keepDigestsOnly: true)
        let server = try await ServerHarness.sqlite(privacy: privacy)
        let directory = try #require(server.directory)
        let marker = "HC-MARKER-\(UUID().uuidString)"
        let batch = IngestBatch(gate: "g1", records: [Fixtures.record(gate: "g1", epoch: UUID(), seq: 1, payload: marker, celsius: 38.5,
                                                                      decision: .refer, reason: .fever)])
        #expect(try await server.ingest(batch, as: "g1").status == 200)
        #expect(try await server.storedCount(gate: "g1") == 1)
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasPrefix("central.sqlite") }
        #expect(files.contains("central.sqlite"))
        let bytes = try files.map { try Data(contentsOf: directory.appendingPathComponent($0)) }
        #expect(!bytes.contains { $0.range(of: Data(marker.utf8)) != nil }, "the code appears in no database file (WAL included)")
        await server.stop()
    }
}
