import CentralServer
import CentralStore
import CheckpointCore
import Foundation
import Testing

/// Scoped principals see only their own places (real server on loopback, SQLite): street s1 holds
/// communities c1 (checkpoint cp1, gates g1 g2) and c2 (checkpoint cp2, gate g3).
@Suite("Place scopes (real server on loopback, SQLite)")
struct PlaceScopeTests {
    static let secondCommunity = PlaceDirectory(streets: [
        StreetOffice(id: "s1", name: "河西街道", communities: [
            Community(id: "c2", name: "和平社区", checkpoints: [CheckpointPlace(id: "cp2", name: "南门卡点", gates: [GatePlace(id: "g3")])]),
        ]),
    ])

    /// The server with c2 added, g3 registered, one fever at g1 and one at g3 (payloads FEVER-G1 / FEVER-G3).
    static func withTwoCommunities(_ body: (ServerHarness, _ g3: String) async throws -> Void) async throws {
        try await ServerHarness.withSQLite { server in
            try await server.store.upsertPlaces(secondCommunity)
            let g3 = "g3:" + (try await server.store.registerGate("g3", checkpoint: "cp2", at: Date()).secret)
            for (gate, bearer) in [("g1", server.credentials["g1"]), ("g3", g3)] {
                let fever = Fixtures.record(gate: gate, epoch: UUID(), seq: 1, payload: "FEVER-\(gate.uppercased())", celsius: 38.6,
                                            decision: .refer, reason: .fever)
                #expect(try await server.ingest(IngestBatch(gate: gate, records: [fever]), as: gate, bearer: bearer).status == 200)
            }
            try await body(server, g3)
        }
    }

    @Test("A community token cannot read another community's ledger, gates or alerts (403 outOfScope) and lists only its own")
    func communityIsConfined() async throws {
        try await Self.withTwoCommunities { server, _ in
            let token = try await server.store.createAdminToken(label: "c1-clerk", role: .community,
                                                                scope: PlaceScope(level: .community, id: "c1"), at: Date()).secret
            for path in ["/v1/ledgers/community/c2", "/v1/ledgers/checkpoint/cp2/hourly", "/v1/gates/g3",
                         "/v1/alerts?level=community&id=c2", "/v1/gates?level=checkpoint&id=cp2", "/v1/ledgers/street/s1"] {
                let reply = try await server.send(.GET, path, bearer: token)
                #expect(reply.status == 403, "\(path)")
                #expect(try reply.errorBody().error.code == "outOfScope", "\(path)")
            }
            // A place that does not exist looks the same as someone else's.
            #expect(try await server.send(.GET, "/v1/ledgers/community/nowhere", bearer: token).status == 403)
            let alerts = try await server.send(.GET, "/v1/alerts", bearer: token).decode(AlertPage.self)
            #expect(alerts.alerts.map(\.gate) == ["g1"])
            let gates = try await server.send(.GET, "/v1/gates", bearer: token)
            #expect(gates.status == 200)
            #expect(String(decoding: gates.body, as: UTF8.self).contains("\"g3\"") == false)
            let passages = try await server.send(.GET, "/v1/passages?payload=FEVER-G3", bearer: token).decode(PassagesProbe.self)
            #expect(passages.passages.isEmpty)
            let places = try await server.send(.GET, "/v1/places", bearer: token).decode(PlaceDirectory.self)
            #expect(places.streets.flatMap(\.communities).map(\.id) == ["c1"])
            #expect(try await server.send(.GET, "/v1/ledgers/community/c1", bearer: token).status == 200)
        }
    }

    @Test("Checkpoint staff see payloads masked in ledgers, alerts and CSV; a community clerk sees them whole")
    func payloadsAreMaskedWithoutIdentityRights() async throws {
        try await Self.withTwoCommunities { server, _ in
            let staff = try await server.store.createAdminToken(label: "cp1-staff", role: .checkpointStaff,
                                                                scope: PlaceScope(level: .checkpoint, id: "cp1"), at: Date()).secret
            let clerk = try await server.store.createAdminToken(label: "c1-clerk", role: .community,
                                                                scope: PlaceScope(level: .community, id: "c1"), at: Date()).secret
            let masked = try await server.send(.GET, "/v1/alerts", bearer: staff).decode(AlertPage.self)
            #expect(masked.alerts.map(\.credentialPayload) == ["FE***G1"])
            let ledgerCSV = String(decoding: try await server.send(.GET, "/v1/ledgers/checkpoint/cp1?format=csv", bearer: staff).body,
                                   as: UTF8.self)
            #expect(ledgerCSV.contains("FE***G1"))
            #expect(!ledgerCSV.contains("FEVER-G1"))
            let whole = try await server.send(.GET, "/v1/alerts", bearer: clerk).decode(AlertPage.self)
            #expect(whole.alerts.map(\.credentialPayload) == ["FEVER-G1"])
        }
    }

    @Test("Passage lookups, exports, secret rotation and acknowledgements are in the audit log with who and what")
    func auditLogRecordsWhoDidWhat() async throws {
        try await Self.withTwoCommunities { server, _ in
            let clerk = try await server.store.createAdminToken(label: "c1-clerk", role: .community,
                                                                scope: PlaceScope(level: .community, id: "c1"), at: Date()).secret
            let auditor = try await server.store.createAdminToken(label: "auditor", role: .auditor, scope: nil, at: Date()).secret
            #expect(try await server.send(.GET, "/v1/passages?payload=FEVER-G1", bearer: clerk).status == 200)
            #expect(try await server.send(.GET, "/v1/ledgers/community/c1?format=csv", bearer: clerk).status == 200)
            let alert = try #require(try await server.send(.GET, "/v1/alerts", bearer: clerk).decode(AlertPage.self).alerts.first)
            let acknowledged = try await server.send(.POST, "/v1/alerts/\(alert.id)/acknowledge", bearer: clerk)
            #expect(acknowledged.status == 200)
            let stored = try acknowledged.decode(StoredAlert.self)
            #expect(stored.acknowledgedBy == "token:c1-clerk")
            #expect(stored.acknowledgedAt != nil)
            #expect(try await server.send(.POST, "/v1/gates/g2/secret", bearer: ServerHarness.adminToken).status == 200)
            let log = try await server.send(.GET, "/v1/audit", bearer: auditor).decode([AuditEvent].self)
            #expect(log.map(\.action) == [.passageLookup, .export, .alertAcknowledge, .secretIssue])
            #expect(log.prefix(3).allSatisfy { $0.actor == "token:c1-clerk" })
            #expect(log.last?.actor == "token:configured")
            // The lookup is recorded by a digest of the code, never the code itself.
            #expect(!log[0].target.contains("FEVER"))
            #expect(try await server.send(.GET, "/v1/audit", bearer: clerk).status == 403)
        }
    }

    @Test("POST /v1/gates on a registered gate is 409 gateExists and its secret keeps working; rotation is explicit")
    func registrationNeverReissues() async throws {
        try await ServerHarness.withSQLite { server in
            let again = try await server.send(.POST, "/v1/gates", bearer: ServerHarness.adminToken,
                                              body: Data(#"{"id":"g1","checkpoint":"cp1"}"#.utf8))
            #expect(again.status == 409)
            #expect(try again.errorBody().error.code == "gateExists")
            let batch = Fixtures.batch(gate: "g1", count: 1)
            #expect(try await server.ingest(batch, as: "g1").status == 200)
            let rotated = try await server.send(.POST, "/v1/gates/g1/secret", bearer: ServerHarness.adminToken)
            #expect(rotated.status == 200)
            let credential = try rotated.decode(RotatedCredential.self).credential
            #expect(try await server.ingest(Fixtures.batch(gate: "g1", count: 1), as: "g1").status == 401)
            #expect(try await server.ingest(Fixtures.batch(gate: "g1", count: 1), as: "g1", bearer: credential).status == 200)
        }
    }

    struct PassagesProbe: Decodable { var passages: [StoredEntry] }
    struct RotatedCredential: Decodable { var credential: String }
}
