import CentralServer
import CentralStore
import CheckpointCore
import Foundation
import Testing

@Suite("Ledgers and CSV export over HTTP (real server on loopback, SQLite)")
struct LedgerExportTests {
    /// Three entries in one hour, one in the next; payloads that need quoting and one formula-like.
    static func seed(_ server: ServerHarness) async throws -> [EntryRecord] {
        let epoch = UUID()
        let hour = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 / 3600).rounded(.down) * 3600 - 7200)
        let records = [
            Fixtures.record(gate: "g1", epoch: epoch, seq: 1, payload: #"name,"quoted""#, occurredAt: hour.addingTimeInterval(60)),
            Fixtures.record(gate: "g1", epoch: epoch, seq: 2, payload: "line1\nline2 张三", celsius: 38.2, decision: .refuse,
                            reason: .fever, occurredAt: hour.addingTimeInterval(120)),
            Fixtures.record(gate: "g1", epoch: epoch, seq: 3, payload: "=HYPERLINK(\"x\")", occurredAt: hour.addingTimeInterval(180)),
            Fixtures.record(gate: "g1", epoch: epoch, seq: 4, payload: #"name,"quoted""#, occurredAt: hour.addingTimeInterval(3700)),
        ]
        let reply = try await server.ingest(IngestBatch(gate: "g1", records: records), as: "g1")
        #expect(reply.status == 200)
        return records
    }

    static func range(_ records: [EntryRecord]) -> String {
        let from = CheckpointJSON.formatTimestamp(records[0].occurredAt.addingTimeInterval(-3600))
        let to = CheckpointJSON.formatTimestamp(records[3].occurredAt.addingTimeInterval(3600))
        return "from=\(from)&to=\(to)"
    }

    @Test("A ledger exported as CSV is UTF-8 with a BOM, CRLF records and RFC 4180 quoting, one row per entry")
    func ledgerCSVExport() async throws {
        try await ServerHarness.withSQLite { server in
            let records = try await Self.seed(server)
            for (path, accept) in [("/v1/ledgers/community/c1?format=csv&\(Self.range(records))", nil),
                                   ("/v1/ledgers/gate/g1?\(Self.range(records))", "text/csv")] {
                let reply = try await server.send(.GET, path, bearer: ServerHarness.adminToken, accept: accept)
                #expect(reply.status == 200)
                #expect(reply.headers.first(name: "Content-Type")?.hasPrefix("text/csv") == true)
                #expect(Array(reply.body.prefix(3)) == [0xEF, 0xBB, 0xBF])
                let text = String(decoding: reply.body.dropFirst(3), as: UTF8.self)
                let records = text.components(separatedBy: "\r\n")
                #expect(records.first?.hasPrefix("occurred_at,street,community,checkpoint,gate,") == true)
                #expect(records.last == "")  // every record ends with CRLF
                #expect(text.contains(#",code,"name,""quoted""",qr,"#))
                #expect(text.contains("\"line1\nline2 张三\""))
                #expect(text.contains(",\"'=HYPERLINK(\"\"x\"\")\","))
                #expect(text.contains(",38.2,body,"))
                // 4 entries + header: count the record ids (a UUIDv7 column).
                let ids = records.dropFirst().flatMap { $0.split(separator: ",") }
                    .filter { UUID(uuidString: String($0)).map(UUIDv7.isVersion7) == true }
                #expect(ids.count == 4)
            }
        }
    }

    @Test("A CSV export longer than one store page streams every entry exactly once")
    func multiPageCSVExport() async throws {
        try await ServerHarness.withSQLite { server in
            let epoch = UUID()
            let count = 5_500  // more than one page of 5000
            for first in stride(from: 1, to: count, by: 500) {
                let batch = Fixtures.batch(gate: "g1", epoch: epoch, firstSeq: Int64(first), count: 500)
                #expect(try await server.ingest(batch, as: "g1").status == 200)
            }
            let reply = try await server.send(.GET, "/v1/ledgers/gate/g1?format=csv", bearer: ServerHarness.adminToken)
            #expect(reply.status == 200)
            let lines = String(decoding: reply.body.dropFirst(3), as: UTF8.self).components(separatedBy: "\r\n")
                .dropFirst().filter { !$0.isEmpty }
            let seqColumn = 20  // journal_epoch, seq, id, received_at are the last four columns
            let seqs = lines.compactMap { line in Int(line.split(separator: ",", omittingEmptySubsequences: false)[seqColumn]) }
            #expect(seqs.count == count)
            #expect(Set(seqs) == Set(1...count))
        }
    }

    @Test("A ledger in JSON counts entries per hour and per decision over the range")
    func ledgerCounts() async throws {
        try await ServerHarness.withSQLite { server in
            let records = try await Self.seed(server)
            let reply = try await server.send(.GET, "/v1/ledgers/street/s1?\(Self.range(records))&limit=2",
                                              bearer: ServerHarness.adminToken)
            #expect(reply.status == 200)
            let ledger = try reply.decode(LedgerResponse.self)
            #expect(ledger.total == 4)
            #expect(ledger.byDecision == ["admit": 3, "refuse": 1])
            #expect(ledger.hourly.map(\.total) == [3, 1])
            #expect(ledger.hourly.first?.counts["refuse"] == 1)
            #expect(ledger.entries.count == 2)
            let next = try #require(ledger.next)
            let page2 = try await server.send(.GET, "/v1/ledgers/street/s1?\(Self.range(records))&limit=2&after=\(next)",
                                              bearer: ServerHarness.adminToken)
            #expect(try page2.decode(LedgerResponse.self).entries.map(\.record.seq) == [3, 4])

            let hourlyCSV = try await server.send(.GET, "/v1/ledgers/checkpoint/cp1/hourly?format=csv&\(Self.range(records))",
                                                  bearer: ServerHarness.adminToken)
            let lines = String(decoding: hourlyCSV.body.dropFirst(3), as: UTF8.self).components(separatedBy: "\r\n")
            #expect(lines.first == "hour_start,admit,refuse,refer,remeasure,total")
            #expect(lines.dropFirst().first?.hasSuffix(",2,1,0,0,3") == true)

            // The clerks' local time: the same hour, labelled in +08:00.
            let local = try await server.send(.GET, "/v1/ledgers/checkpoint/cp1/hourly?format=csv&utcOffset=%2B08:00&\(Self.range(records))",
                                              bearer: ServerHarness.adminToken)
            let localLines = String(decoding: local.body.dropFirst(3), as: UTF8.self).components(separatedBy: "\r\n")
            let firstHour = try #require(ledger.hourly.first?.hourStart)
            let local8 = firstHour.addingTimeInterval(8 * 3600)
            let expected = String(CheckpointJSON.formatTimestamp(local8).dropLast()) + "+08:00"
            #expect(localLines.dropFirst().first?.hasPrefix(expected + ",2,1,0,0,3") == true)
            let badOffset = try await server.send(.GET, "/v1/ledgers/checkpoint/cp1/hourly?format=csv&utcOffset=8",
                                                  bearer: ServerHarness.adminToken)
            #expect(badOffset.status == 400)
        }
    }

    @Test("Passages of one credential and fever alerts are found, as JSON and CSV")
    func passagesAndAlerts() async throws {
        try await ServerHarness.withSQLite { server in
            _ = try await Self.seed(server)
            let payload = #"name,"quoted""#.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            let passages = try await server.send(.GET, "/v1/passages?payload=\(payload)", bearer: ServerHarness.adminToken)
            #expect(passages.status == 200)
            #expect(try passages.decode(PassagesResponse.self).passages.map(\.record.seq) == [1, 4])

            let alerts = try await server.send(.GET, "/v1/alerts?kind=fever", bearer: ServerHarness.adminToken)
            #expect(alerts.status == 200)
            let page = try alerts.decode(AlertPage.self)
            #expect(page.alerts.map(\.seq) == [2])
            #expect(page.alerts.first?.celsius == 38.2)

            let csv = try await server.send(.GET, "/v1/alerts?kind=fever", bearer: ServerHarness.adminToken, accept: "text/csv")
            #expect(String(decoding: csv.body.dropFirst(3), as: UTF8.self).hasPrefix("id,kind,raised_at,"))
        }
    }

    @Test("Reading routes refuse a missing or wrong admin token with 401, and accept a token the store issued")
    func adminTokenIsRequired() async throws {
        try await ServerHarness.withSQLite { server in
            #expect(try await server.send(.GET, "/v1/gates").status == 401)
            #expect(try await server.send(.GET, "/v1/gates", bearer: "not-the-admin-token-at-all").status == 401)
            #expect(try await server.send(.GET, "/v1/gates", bearer: server.credentials["g1"]).status == 401)
            let issued = try await server.store.createAdminToken(label: "clerk", at: Date())
            #expect(try await server.send(.GET, "/v1/gates", bearer: issued.secret).status == 200)
            try await server.store.revokeAdminToken(label: "clerk", at: Date())
            #expect(try await server.send(.GET, "/v1/gates", bearer: issued.secret).status == 401)
            // And a gate route refuses the admin token (it is not `<gate>:<secret>`).
            #expect(try await server.send(.GET, "/v1/watchlist", bearer: ServerHarness.adminToken).status == 401)
        }
    }

    @Test("Unknown routes, places and bad parameters get 404/400 with an APIErrorBody; healthz reports the engine")
    func errorsAndHealth() async throws {
        try await ServerHarness.withSQLite { server in
            let admin = ServerHarness.adminToken
            let unknownRoute = try await server.send(.GET, "/v1/nothing-here", bearer: admin)
            #expect(unknownRoute.status == 404)
            #expect(try unknownRoute.errorBody().error.code == "notFound")
            let unknownPlace = try await server.send(.GET, "/v1/ledgers/community/nowhere", bearer: admin)
            #expect(unknownPlace.status == 404)
            #expect(try unknownPlace.errorBody().error.message.contains("nowhere"))
            let badLevel = try await server.send(.GET, "/v1/ledgers/planet/earth", bearer: admin)
            #expect(badLevel.status == 400)
            let badTime = try await server.send(.GET, "/v1/ledgers/gate/g1?from=yesterday", bearer: admin)
            #expect(badTime.status == 400)
            #expect(try badTime.errorBody().error.message.contains("`from`"))
            let badFormat = try await server.send(.GET, "/v1/alerts?format=xlsx", bearer: admin)
            #expect(badFormat.status == 400)
            let unknownGate = try await server.send(.GET, "/v1/gates/g9", bearer: admin)
            #expect(unknownGate.status == 404)

            let health = try await server.send(.GET, "/healthz")
            #expect(health.status == 200)
            let status = try health.decode(HealthStatus.self)
            #expect(status.engine == "sqlite")
            #expect(status.durability["journal_mode"] == "wal")
        }
    }
}
