import CentralServer
import CentralStore
import CheckpointCore
import Foundation
import Testing

@Suite("Ingest over HTTP (real server on loopback, SQLite in a temporary directory)")
struct IngestOverHTTPTests {
    @Test("A batch sent twice is stored once, and the second reply lists every record as a duplicate")
    func batchSentTwiceIsStoredOnce() async throws {
        try await ServerHarness.withSQLite { server in
            let batch = Fixtures.batch(gate: "g1", count: 25)

            let first = try await server.ingest(batch, as: "g1")
            #expect(first.status == 200)
            let firstReply = try first.decode(IngestResponse.self)
            #expect(Set(firstReply.stored) == Set(batch.records.map(\.id)))
            #expect(firstReply.duplicates.isEmpty)
            #expect(firstReply.acknowledged.first?.contiguousThrough == 25)

            let second = try await server.ingest(batch, as: "g1")
            #expect(second.status == 200)
            let secondReply = try second.decode(IngestResponse.self)
            #expect(secondReply.stored.isEmpty)
            #expect(Set(secondReply.duplicates) == Set(batch.records.map(\.id)))
            #expect(secondReply.acknowledged.first?.contiguousThrough == 25)

            #expect(try await server.storedCount(gate: "g1") == 25)
        }
    }

    @Test("A gate cannot write another gate's records: 403 with an error body, nothing stored")
    func gateCannotWriteAnotherGatesRecords() async throws {
        try await ServerHarness.withSQLite { server in

            // g1's credential, a batch that says it is g2's.
            let foreignBatch = Fixtures.batch(gate: "g2", count: 3)
            let refusedBatch = try await server.ingest(foreignBatch, as: "g2", bearer: server.credentials["g1"])
            #expect(refusedBatch.status == 403)
            #expect(try refusedBatch.errorBody().error.code == "gateMismatch")

            // g1's credential and batch, but one record inside is g2's.
            var mixed = Fixtures.batch(gate: "g1", count: 3)
            mixed.records[1] = Fixtures.record(gate: "g2", epoch: mixed.records[1].journalEpoch, seq: 2)
            let refusedRecord = try await server.ingest(mixed, as: "g1")
            #expect(refusedRecord.status == 403)
            #expect(try refusedRecord.errorBody().error.message.contains("g2"))

            #expect(try await server.storedCount(gate: "g1") == 0)
            #expect(try await server.storedCount(gate: "g2") == 0)
        }
    }

    @Test("A record over a field limit is quarantined and still acknowledged; the rest of the batch is stored")
    func oversizedFieldIsQuarantinedNotRefused() async throws {
        try await ServerHarness.withSQLite { server in
            var batch = Fixtures.batch(gate: "g1", count: 3)
            batch.records[1].credential?.payload = String(repeating: "x", count: FieldLimits.maxCredentialPayloadBytes + 1)

            let reply = try await server.ingest(batch, as: "g1")
            #expect(reply.status == 200)
            let body = try reply.decode(IngestResponse.self)
            #expect(body.stored.count == 2)
            #expect(body.quarantined.map(\.seq) == [2])
            #expect(body.acknowledged.first?.contiguousThrough == 3)
        }
    }

    @Test("Heartbeat, watch-list upsert and removal, and gate health round-trip through the API")
    func heartbeatWatchListAndHealth() async throws {
        try await ServerHarness.withSQLite { server in
            let admin = ServerHarness.adminToken

            let update = WatchListUpdate(upserts: [WatchListChange(credential: "HC-9", colour: .red, isolation: true,
                                                                   reason: "home isolation")])
            let changed = try await server.send(.POST, "/v1/watchlist/entries", bearer: admin,
                                                body: try CheckpointJSON.encoder().encode(update))
            #expect(changed.status == 200)
            let version = try changed.decode(WatchListEntries.self).version
            #expect(version >= 1)

            let heartbeat = Heartbeat(gate: "g1", sentAt: Date().addingTimeInterval(-2), clockSynced: true, bootID: "boot-1",
                                      monotonicNanos: 5, journalEpoch: UUID(), lastSeq: 40, backlog: 7,
                                      softwareVersion: "1.0", devices: [DeviceState(id: "therm-0", role: .thermometer, status: .ok)])
            let beat = try await server.send(.POST, "/v1/heartbeat", bearer: server.credentials["g1"],
                                             body: try CheckpointJSON.encoder().encode(heartbeat))
            #expect(beat.status == 200)
            #expect(try beat.decode(HeartbeatResponse.self).watchListVersion == version)

            let delta = try await server.send(.GET, "/v1/watchlist?since=0", bearer: server.credentials["g1"])
            #expect(delta.status == 200)
            #expect(try delta.decode(WatchListDelta.self).upserts.map(\.credential) == ["HC-9"])

            let removal = try await server.send(.POST, "/v1/watchlist/entries", bearer: admin,
                                                body: Data(#"{"removals": ["HC-9"]}"#.utf8))
            #expect(removal.status == 200)
            let afterRemoval = try removal.decode(WatchListEntries.self)
            #expect(afterRemoval.entries.isEmpty)
            let removedDelta = try await server.send(.GET, "/v1/watchlist?since=\(version)", bearer: server.credentials["g1"])
            let removed = try removedDelta.decode(WatchListDelta.self)
            #expect(removed.removals == ["HC-9"])
            #expect(removed.version == afterRemoval.version)

            let gate = try await server.send(.GET, "/v1/gates/g1", bearer: admin)
            #expect(gate.status == 200)
            let status = try gate.decode(GateStatus.self)
            #expect(status.health?.backlog == 7)
            #expect((status.health?.clockOffsetMillis ?? 0) >= 1500)
            #expect(status.health?.devices.map(\.id) == ["therm-0"])
        }
    }

    @Test("Sequence gaps show in the gate list; metrics count stored, duplicate and rejected records, conflicts and requests")
    func gapsAndMetrics() async throws {
        try await ServerHarness.withSQLite { server in
            let epoch = UUID()
            let batch = IngestBatch(gate: "g1", records: [1, 2, 5, 6].map { Fixtures.record(gate: "g1", epoch: epoch, seq: $0) })
            #expect(try await server.ingest(batch, as: "g1").status == 200)
            #expect(try await server.ingest(batch, as: "g1").status == 200)

            let list = try await server.send(.GET, "/v1/gates", bearer: ServerHarness.adminToken)
            let g1 = try #require(try list.decode(GateList.self).gates.first { $0.gate.id == "g1" })
            #expect(g1.gaps.map { [$0.fromSeq, $0.throughSeq] } == [[3, 4]])
            #expect(g1.missingRecords == 2)

            let conflicting = IngestBatch(gate: "g1", records: [Fixtures.record(gate: "g1", epoch: epoch, seq: 2),
                                                                Fixtures.record(gate: "g1", epoch: epoch, seq: 7)])
            #expect(try await server.ingest(conflicting, as: "g1").status == 409)

            let metrics = try await server.send(.GET, "/metrics")
            let text = String(decoding: metrics.body, as: UTF8.self)
            #expect(text.contains("checkpoint_ingest_records_total{outcome=\"stored\"} 4"))
            #expect(text.contains("checkpoint_ingest_records_total{outcome=\"duplicate\"} 4"))
            #expect(text.contains("checkpoint_ingest_records_total{outcome=\"rejected\"} 2"))
            #expect(text.contains("checkpoint_ingest_conflicts_total 1"))
            #expect(text.contains("checkpoint_ingest_batches_total{status=\"409\"} 1"))
            #expect(text.contains(#"checkpoint_http_requests_total{method="POST",route="/v1/ingest",status="200"} 2"#))
            #expect(text.contains("checkpoint_http_request_duration_seconds_bucket"))
        }
    }

    @Test("A gate registered through the admin API ingests with the credential shown once, and not after it is revoked")
    func registerThroughAPIThenRevoke() async throws {
        try await ServerHarness.withSQLite { server in
            let admin = ServerHarness.adminToken
            let places = PlaceDirectory(streets: [StreetOffice(id: "s2", name: "城东街道", communities: [
                Community(id: "c2", name: "东风社区", checkpoints: [CheckpointPlace(id: "cp2", name: "东门卡点")]),
            ])])
            let imported = try await server.send(.POST, "/v1/places", bearer: admin, body: try CheckpointJSON.encoder().encode(places))
            #expect(imported.status == 200)
            #expect(try imported.decode(PlaceDirectory.self).streets.map(\.id) == ["s1", "s2"])

            let registered = try await server.send(.POST, "/v1/gates", bearer: admin,
                                                   body: try CheckpointJSON.encoder().encode(RegisterGateRequest(id: "g3", checkpoint: "cp2")))
            #expect(registered.status == 201)
            let gate = try registered.decode(RegisteredGate.self)
            #expect(gate.credential == "g3:\(gate.secret)")
            #expect(try await server.ingest(Fixtures.batch(gate: "g3", count: 2), as: "g3", bearer: gate.credential).status == 200)

            let unknownCheckpoint = try await server.send(.POST, "/v1/gates", bearer: admin,
                                                          body: try CheckpointJSON.encoder().encode(RegisterGateRequest(id: "g4", checkpoint: "nowhere")))
            #expect(unknownCheckpoint.status == 404)

            let revoked = try await server.send(.POST, "/v1/gates/g3/revoke", bearer: admin)
            #expect(revoked.status == 200)
            #expect(try revoked.decode(GateInfo.self).canIngest == false)
            let refused = try await server.ingest(Fixtures.batch(gate: "g3", count: 1), as: "g3", bearer: gate.credential)
            #expect(refused.status == 403)
            #expect(try refused.errorBody().error.code == "gateRevoked")
            #expect(try await server.storedCount(gate: "g3") == 2)
        }
    }
}
