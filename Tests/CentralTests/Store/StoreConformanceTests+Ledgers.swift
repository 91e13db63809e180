import CentralStore
import CheckpointCore
import Foundation
import Testing

extension StoreConformanceTests {
    /// g1, g2 (hexi-1), g3 (hexi-2), g4 (hedong-1) in street wenhua; g5 (nanguan-1) in street renmin.
    /// Per gate: admits at minutes 0, 10, 70 and a refusal at minute 75 (two UTC hours).
    static func seedLedgers(_ f: StoreFixture) async throws {
        for gate in ["g1", "g2", "g3", "g4", "g5"] {
            let epoch = UUID()
            let records = [
                F.record(gate: gate, epoch: epoch, seq: 1, minute: 0, payload: "CODE-\(gate)"),
                F.record(gate: gate, epoch: epoch, seq: 2, minute: 10, payload: "TRACE-ME"),
                F.record(gate: gate, epoch: epoch, seq: 3, minute: 70, payload: "CODE-\(gate)"),
                F.record(gate: gate, epoch: epoch, seq: 4, minute: 75, decision: .refuse, reason: .codeDenied, payload: "DENIED"),
            ]
            _ = try await f.store.ingest(gate: gate, records: records, receivedAt: F.base.addingTimeInterval(7_200))
        }
    }

    @Test("Ledgers of a street, a community, a checkpoint and a gate hold exactly their gates' entries",
          arguments: StoreEngine.allCases)
    func ledgersPerLevel(engine: StoreEngine) async throws {
        try await withStore(engine) { f, _ in
            try await Self.seedLedgers(f)
            let cases: [(PlaceScope?, Set<String>)] = [
                (nil, ["g1", "g2", "g3", "g4", "g5"]),
                (PlaceScope(level: .street, id: "wenhua"), ["g1", "g2", "g3", "g4"]),
                (PlaceScope(level: .street, id: "renmin"), ["g5"]),
                (PlaceScope(level: .community, id: "hexi"), ["g1", "g2", "g3"]),
                (PlaceScope(level: .checkpoint, id: "hexi-1"), ["g1", "g2"]),
                (PlaceScope(level: .gate, id: "g3"), ["g3"]),
            ]
            for (scope, gates) in cases {
                let entries = try await f.allEntries(scope, pageSize: 3)
                #expect(Set(entries.map(\.record.gate)) == gates, "scope \(String(describing: scope))")
                #expect(entries.count == gates.count * 4, "scope \(String(describing: scope))")
                let order = entries.map { ($0.record.occurredAt, $0.record.id.uuidString.lowercased()) }
                #expect(zip(order, order.dropFirst()).allSatisfy { $0 < $1 }, "pages are in (occurredAt, id) order without repeats")
            }
            let g1 = try await f.allEntries(PlaceScope(level: .gate, id: "g1"))
            #expect(g1.first.map { [$0.checkpoint, $0.community, $0.street] } == ["hexi-1", "hexi", "wenhua"])
            let refusals = try await f.store.entries(LedgerQuery(scope: PlaceScope(level: .community, id: "hexi"), range: F.allTime,
                                                                 decisions: [.refuse]))
            #expect(refusals.entries.count == 3)
            #expect(refusals.next == nil)
            let firstHour = try await f.store.entries(LedgerQuery(scope: nil, range: TimeRange(from: F.base, to: F.base.addingTimeInterval(3_600))))
            #expect(firstHour.entries.count == 10)
            await #expect(throws: CentralStoreError.unknownPlace(.community, "nowhere")) {
                _ = try await f.store.entries(LedgerQuery(scope: PlaceScope(level: .community, id: "nowhere"), range: F.allTime))
            }
        }
    }

    @Test("Hourly counts per decision add up per UTC hour for a place and a time range", arguments: StoreEngine.allCases)
    func hourlyCounts(engine: StoreEngine) async throws {
        try await withStore(engine) { f, _ in
            try await Self.seedLedgers(f)
            let counts = try await f.store.hourlyCounts(scope: PlaceScope(level: .community, id: "hexi"), range: F.allTime)
            let hour1 = F.base.addingTimeInterval(3_600)
            #expect(counts == [
                HourlyCount(hourStart: F.base, decision: .admit, count: 6),
                HourlyCount(hourStart: hour1, decision: .admit, count: 3),
                HourlyCount(hourStart: hour1, decision: .refuse, count: 3),
            ])
            let secondHourOnly = try await f.store.hourlyCounts(scope: nil, range: TimeRange(from: hour1, to: hour1.addingTimeInterval(3_600)))
            #expect(secondHourOnly == [HourlyCount(hourStart: hour1, decision: .admit, count: 5),
                                       HourlyCount(hourStart: hour1, decision: .refuse, count: 5)])
        }
    }

    @Test("All passages of one credential are found across gates, in time order, and nothing else", arguments: StoreEngine.allCases)
    func credentialPassages(engine: StoreEngine) async throws {
        try await withStore(engine) { f, _ in
            try await Self.seedLedgers(f)
            let long = String(repeating: "长", count: 900)  // 2,700 UTF-8 bytes: beyond a PostgreSQL B-tree row
            _ = try await f.store.ingest(gate: "g4", records: [F.record(gate: "g4", epoch: UUID(), seq: 1, minute: 5, payload: long)],
                                         receivedAt: F.base)
            let passages = try await f.store.passages(credentialPayload: "TRACE-ME", range: nil, limit: 100)
            #expect(Set(passages.map(\.record.gate)) == ["g1", "g2", "g3", "g4", "g5"])
            let order = passages.map { ($0.record.occurredAt, $0.record.id.uuidString.lowercased()) }
            #expect(zip(order, order.dropFirst()).allSatisfy { $0 < $1 })
            #expect(passages.count == 5)
            #expect(passages.allSatisfy { $0.record.credential?.payload == "TRACE-ME" })
            #expect(try await f.store.passages(credentialPayload: long, range: nil, limit: 10).map(\.record.gate) == ["g4"])
            #expect(try await f.store.passages(credentialPayload: "TRACE", range: nil, limit: 10).isEmpty)
            let early = TimeRange(from: F.base, to: F.base.addingTimeInterval(60))
            #expect(try await f.store.passages(credentialPayload: "TRACE-ME", range: early, limit: 10).isEmpty)
        }
    }

    @Test("Fevers, refusals, isolation exits and watch-list hits raise alerts listable by cursor, kind, decision and place",
          arguments: StoreEngine.allCases)
    func alertsAreRaisedAndListed(engine: StoreEngine) async throws {
        try await withStore(engine) { f, _ in
            let epoch = UUID()
            let records = [
                F.record(epoch: epoch, seq: 1, minute: 1),
                F.record(epoch: epoch, seq: 2, minute: 2, decision: .refuse, reason: .fever, celsius: 38.6),
                F.record(epoch: epoch, seq: 3, minute: 3, decision: .refuse, reason: .codeDenied),
                F.record(epoch: epoch, seq: 4, minute: 4, decision: .refuse, reason: .isolationExit, direction: .out),
                F.record(epoch: epoch, seq: 5, minute: 5, decision: .refer, reason: .watchListed),
                F.record(epoch: epoch, seq: 6, minute: 6, decision: .remeasure, reason: .temperatureOutOfRange),
            ]
            _ = try await f.store.ingest(gate: "g1", records: records, receivedAt: F.base)
            _ = try await f.store.ingest(gate: "g5", records: [F.record(gate: "g5", epoch: UUID(), seq: 1, minute: 7, decision: .refuse,
                                                                        reason: .fever, celsius: 39.1)], receivedAt: F.base)
            let all = try await f.store.alerts(AlertQuery())
            #expect(all.alerts.map(\.kind) == [.fever, .refusal, .isolationExit, .watchListed, .fever])
            #expect(all.alerts.first?.celsius == 38.6)
            #expect(all.alerts.first?.entryID == records[1].id)
            #expect(all.nextAfter == nil)
            let refusals = try await f.store.alerts(AlertQuery(decisions: [.refuse]))
            #expect(refusals.alerts.count == 4)
            let fevers = try await f.store.alerts(AlertQuery(kinds: [.fever], scope: PlaceScope(level: .street, id: "wenhua")))
            #expect(fevers.alerts.map(\.gate) == ["g1"])
            let page1 = try await f.store.alerts(AlertQuery(limit: 2))
            #expect(page1.alerts.count == 2)
            let cursor = try #require(page1.nextAfter)
            let page2 = try await f.store.alerts(AlertQuery(after: cursor, limit: 10))
            #expect(page2.alerts.map(\.kind) == [.isolationExit, .watchListed, .fever])
            let window = TimeRange(from: F.base.addingTimeInterval(150), to: F.base.addingTimeInterval(330))
            #expect(try await f.store.alerts(AlertQuery(range: window)).alerts.map(\.seq) == [3, 4, 5])
        }
    }
}
