import CentralStore
import CheckpointCore
import Foundation
import Testing

/// Retention purge and erasure of one credential, on SQLite and PostgreSQL.
@Suite("Central store conformance: retention and erasure (SQLite and PostgreSQL)")
struct RetentionConformanceTests {
    typealias F = StoreFixture

    @Test("A purge deletes entries, alerts, quarantine and audit older than their retention and keeps the rest",
          arguments: StoreEngine.allCases)
    func purgeByKind(engine: StoreEngine) async throws {
        try await withStore(engine) { f, _ in
            let epoch = UUID()
            // Seq 1 at base (old), seq 2 ten days later (recent); both fevers, so both raise alerts.
            let old = F.record(epoch: epoch, seq: 1, minute: 0, decision: .refer, reason: .fever, payload: "OLD-1", celsius: 38.2)
            let recent = F.record(epoch: epoch, seq: 2, minute: 10 * 1440, decision: .refer, reason: .fever, payload: "NEW-2", celsius: 38.3)
            _ = try await f.store.ingest(gate: "g1", records: [old], receivedAt: F.base)
            _ = try await f.store.ingest(gate: "g1", records: [recent], receivedAt: F.base.addingTimeInterval(10 * 86_400))
            var broken = F.record(epoch: epoch, seq: 3, minute: 1)
            broken.lane = String(repeating: "x", count: 500)
            _ = try await f.store.ingest(gate: "g1", records: [broken], receivedAt: F.base)
            try await f.store.appendAudit(AuditEvent(at: F.base, actor: "cli", action: .export, target: "old"))
            try await f.store.appendAudit(AuditEvent(at: F.base.addingTimeInterval(10 * 86_400), actor: "cli", action: .export, target: "new"))

            let now = F.base.addingTimeInterval(12 * 86_400)
            let report = try await f.store.purge(RetentionPolicy(entryDays: 5, alertDays: 5, quarantineDays: 5, auditDays: 5), now: now)
            #expect(report.entries == 1)
            #expect(report.alerts == 1)
            #expect(report.quarantine == 1)
            #expect(report.audit == 1)
            #expect(try await f.allEntries(nil).map(\.record.seq) == [2])
            #expect(try await f.store.alerts(AlertQuery()).alerts.map(\.credentialPayload) == ["NEW-2"])
            #expect(try await f.store.quarantined(gate: "g1", limit: 10).isEmpty)
            #expect(try await f.store.auditLog(after: 0, actor: nil, action: nil, limit: 10).map(\.target) == ["new"])
            // Acknowledgement survives the purge: the gate is not asked to re-send seq 1.
            #expect(try await f.store.gateHealth(scope: PlaceScope(level: .gate, id: "g1")).first?.epochs.first?.contiguousThrough == 3)
            let forever = try await f.store.purge(RetentionPolicy(entryDays: nil, alertDays: nil, quarantineDays: nil, auditDays: nil),
                                                  now: now.addingTimeInterval(86_400 * 1000))
            #expect(forever.total == 0)
        }
    }

    @Test("Erasing a credential deletes its entries, alerts, quarantined records and watch-list entry, and nothing else",
          arguments: StoreEngine.allCases)
    func erasure(engine: StoreEngine) async throws {
        try await withStore(engine) { f, _ in
            let epoch = UUID()
            let mine = F.record(epoch: epoch, seq: 1, decision: .refer, reason: .fever, payload: "ERASE-ME", celsius: 38.4)
            let again = F.record(gate: "g4", epoch: UUID(), seq: 1, minute: 5, payload: "ERASE-ME")
            let other = F.record(epoch: epoch, seq: 2, minute: 2, payload: "KEEP-ME")
            var broken = F.record(epoch: epoch, seq: 3, minute: 3, payload: "ERASE-ME")
            broken.lane = String(repeating: "x", count: 500)
            _ = try await f.store.ingest(gate: "g1", records: [mine, other, broken], receivedAt: F.base)
            _ = try await f.store.ingest(gate: "g4", records: [again], receivedAt: F.base)
            _ = try await f.store.upsertWatchList([WatchListChange(credential: "ERASE-ME", colour: .red, isolation: true, reason: "r")], at: F.base)

            let report = try await f.store.eraseCredential("ERASE-ME", at: F.base.addingTimeInterval(60))
            #expect(report == PurgeReport(entries: 2, alerts: 1, quarantine: 1, audit: 0, other: 1))
            #expect(try await f.allEntries(nil).map { $0.record.credential?.payload } == ["KEEP-ME"])
            #expect(try await f.store.passages(credentialPayload: "ERASE-ME", range: nil, limit: 10).isEmpty)
            #expect(try await f.store.alerts(AlertQuery()).alerts.isEmpty)
            #expect(try await f.store.quarantined(gate: "g1", limit: 10).isEmpty)
            #expect(try await f.store.watchListDelta(since: 0).upserts.isEmpty)
            await #expect(throws: CentralStoreError.self) { _ = try await f.store.eraseCredential("", at: F.base) }
        }
    }

    @Test("Expired watch-list entries are removed as one new version, so a gate's delta drops them", arguments: StoreEngine.allCases)
    func expiredWatchListEntries(engine: StoreEngine) async throws {
        try await withStore(engine) { f, _ in
            let version = try await f.store.upsertWatchList([
                WatchListChange(credential: "OLD", colour: .red, isolation: true, reason: "", validUntil: F.base.addingTimeInterval(3600)),
                WatchListChange(credential: "LATER", colour: .yellow, isolation: false, reason: "", validUntil: F.base.addingTimeInterval(86_400)),
                WatchListChange(credential: "ALWAYS", colour: .blue, isolation: false, reason: ""),
            ], at: F.base)
            #expect(try await f.store.expireWatchList(now: F.base.addingTimeInterval(60)).isEmpty)
            #expect(try await f.store.expireWatchList(now: F.base.addingTimeInterval(7200)) == ["OLD"])
            let delta = try await f.store.watchListDelta(since: version)
            #expect(delta.full == false)
            #expect(delta.removals == ["OLD"])
            #expect(delta.upserts.isEmpty)
            #expect(try await f.store.watchListDelta(since: 0).upserts.map(\.credential).sorted() == ["ALWAYS", "LATER"])
        }
    }
}
