import CentralStore
import CheckpointCore
import Foundation
import Testing

/// Records whose `occurredAt` cannot be true are quarantined with a reason, on SQLite and PostgreSQL.
@Suite("Central store conformance: implausible occurredAt (SQLite and PostgreSQL)")
struct PlausibleTimeConformanceTests {
    typealias F = StoreFixture

    @Test("A record from long before the gate's registration, or more than a day ahead of arrival, is quarantined with a reason",
          arguments: StoreEngine.allCases)
    func implausibleTimesAreQuarantined(engine: StoreEngine) async throws {
        try await withStore(engine) { f, _ in
            let epoch = UUID()
            let fine = F.record(epoch: epoch, seq: 1, minute: 30)
            let ancient = F.record(epoch: epoch, seq: 2, minute: -3 * 1440)        // gates registered at base
            let future = F.record(epoch: epoch, seq: 3, minute: 2 * 1440 + 60)     // received at base + 1 h
            let installing = F.record(epoch: epoch, seq: 4, minute: -60)           // an hour before registration: fine
            let reply = try await f.store.ingest(gate: "g1", records: [fine, ancient, future, installing],
                                                 receivedAt: F.base.addingTimeInterval(3600))
            #expect(reply.stored == [fine.id, installing.id])
            #expect(reply.quarantined.map(\.seq) == [2, 3])
            #expect(reply.quarantined.first?.reasons.first?.contains("before the gate was registered") == true)
            #expect(reply.quarantined.last?.reasons.first?.contains("after it was received") == true)
            #expect(reply.acknowledged.first?.contiguousThrough == 4)
            // Rotating the secret does not move the registration the check uses.
            _ = try await f.store.rotateGateSecret("g1", at: F.base.addingTimeInterval(30 * 86_400))
            let later = F.record(epoch: epoch, seq: 5, minute: 120)
            #expect(try await f.store.ingest(gate: "g1", records: [later], receivedAt: F.base.addingTimeInterval(3 * 3600)).stored
                == [later.id])
        }
    }
}
