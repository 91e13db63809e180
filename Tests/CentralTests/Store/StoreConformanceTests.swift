import CentralStore
import CheckpointCore
import Foundation
import Testing

/// The conformance suite of `CentralStorage`: every test runs on SQLite and on PostgreSQL, each on
/// a fresh database.
@Suite("Central store conformance (SQLite and PostgreSQL)")
struct StoreConformanceTests {
    typealias F = StoreFixture

    // MARK: Ingest

    @Test("A batch sent twice is stored once: the second reply lists every record as a duplicate", arguments: StoreEngine.allCases)
    func idempotentReingest(engine: StoreEngine) async throws {
        try await withStore(engine) { f, _ in
            let epoch = UUID()
            let batch = F.records(epoch: epoch, seqs: Array(1...20))
            let first = try await f.store.ingest(gate: "g1", records: batch, receivedAt: F.base)
            #expect(first.stored == batch.map(\.id))
            #expect(first.duplicates.isEmpty)
            #expect(first.acknowledged == [EpochAcknowledgement(journalEpoch: epoch, contiguousThrough: 20)])
            let second = try await f.store.ingest(gate: "g1", records: batch, receivedAt: F.base.addingTimeInterval(5))
            #expect(second.stored.isEmpty)
            #expect(second.duplicates == batch.map(\.id))
            #expect(second.acknowledged == [EpochAcknowledgement(journalEpoch: epoch, contiguousThrough: 20)])
            let stored = try await f.allEntries(nil)
            #expect(stored.count == 20)
            #expect(stored.map(\.record) == batch)
        }
    }

    @Test("Every entry reason code a gate journals, pairingUncertain included, is stored and read back", arguments: StoreEngine.allCases)
    func everyReasonCode(engine: StoreEngine) async throws {
        try await withStore(engine) { f, _ in
            let epoch = UUID()
            let entryReasons = ReasonCode.allCases.filter { !$0.isDoorEvent }
            let batch = entryReasons.enumerated().map { i, reason in
                F.record(epoch: epoch, seq: Int64(i + 1), minute: Double(i), decision: reason == .admitted ? .admit : .refer, reason: reason)
            }
            let reply = try await f.store.ingest(gate: "g1", records: batch, receivedAt: F.base)
            #expect(reply.stored == batch.map(\.id))
            #expect(try await f.allEntries(nil).map(\.record.reason) == entryReasons)
        }
    }

    @Test("Door events are held as doorForced / doorHeldOpen alerts, never as entries, count toward contiguity and dedupe when resent",
          arguments: StoreEngine.allCases)
    func doorEventsAreAlertsOnly(engine: StoreEngine) async throws {
        try await withStore(engine) { f, _ in
            let epoch = UUID()
            let batch = [
                F.record(epoch: epoch, seq: 1, decision: .refer, reason: .doorForced, payload: nil, celsius: nil),
                F.record(epoch: epoch, seq: 2, minute: 1),
                F.record(epoch: epoch, seq: 3, minute: 2, decision: .refer, reason: .doorHeldOpen, payload: nil, celsius: nil),
            ]
            let first = try await f.store.ingest(gate: "g1", records: batch, receivedAt: F.base)
            #expect(first.stored == batch.map(\.id))
            #expect(first.acknowledged == [EpochAcknowledgement(journalEpoch: epoch, contiguousThrough: 3)])
            #expect(try await f.allEntries(nil).map(\.record.seq) == [2], "only the admission is a ledger entry")
            let alerts = try await f.store.alerts(AlertQuery()).alerts
            #expect(alerts.map(\.kind) == [.doorForced, .doorHeldOpen])
            #expect(alerts.map(\.seq) == [1, 3] && alerts.map(\.entryID) == [batch[0].id, batch[2].id])
            let again = try await f.store.ingest(gate: "g1", records: batch, receivedAt: F.base.addingTimeInterval(5))
            #expect(again.stored.isEmpty && again.duplicates == batch.map(\.id))
            #expect(try await f.store.alerts(AlertQuery()).alerts.count == 2, "a resent door event raises nothing new")
            var forged = batch[0]
            forged.content.credential = Credential(kind: .code, payload: "X", symbology: .qr)
            forged.seq = 4
            forged.id = UUIDv7.make()
            let quarantined = try await f.store.ingest(gate: "g1", records: [forged], receivedAt: F.base)
            #expect(quarantined.quarantined.count == 1, "a door event with a credential is quarantined")
        }
    }

    @Test("A record repeated inside one batch is stored once and reported once as a duplicate", arguments: StoreEngine.allCases)
    func duplicateWithinBatch(engine: StoreEngine) async throws {
        try await withStore(engine) { f, _ in
            let epoch = UUID()
            let r = F.record(epoch: epoch, seq: 1)
            let reply = try await f.store.ingest(gate: "g1", records: [r, r], receivedAt: F.base)
            #expect(reply.stored == [r.id])
            #expect(reply.duplicates == [r.id])
            #expect(try await f.allEntries(nil).count == 1)
        }
    }

    @Test("A batch refused part-way (conflict in its last record) stores none of its records", arguments: StoreEngine.allCases)
    func atomicBatch(engine: StoreEngine) async throws {
        try await withStore(engine) { f, _ in
            let epoch = UUID()
            _ = try await f.store.ingest(gate: "g1", records: F.records(epoch: epoch, seqs: [1]), receivedAt: F.base)
            var batch = F.records(epoch: epoch, seqs: Array(2...50))
            batch.append(F.record(epoch: epoch, seq: 1, minute: 99))  // same key as the stored seq 1, new id
            await #expect(throws: CentralStoreError.self) {
                _ = try await f.store.ingest(gate: "g1", records: batch, receivedAt: F.base)
            }
            #expect(try await f.allEntries(nil).count == 1)
            let health = try await f.store.gateHealth(scope: PlaceScope(level: .gate, id: "g1"))
            #expect(health.first?.epochs.first?.contiguousThrough == 1)
            #expect(try await f.store.quarantined(gate: "g1", limit: 10).isEmpty)
        }
    }

    @Test("The same key with another id refuses the batch with a conflict and persists a conflict alert", arguments: StoreEngine.allCases)
    func conflictRaisesAlert(engine: StoreEngine) async throws {
        try await withStore(engine) { f, _ in
            let epoch = UUID()
            let original = F.record(epoch: epoch, seq: 7)
            _ = try await f.store.ingest(gate: "g1", records: [original], receivedAt: F.base)
            let impostor = F.record(epoch: epoch, seq: 7, minute: 3)
            do {
                _ = try await f.store.ingest(gate: "g1", records: [impostor], receivedAt: F.base.addingTimeInterval(60))
                Issue.record("a conflicting batch was accepted")
            } catch CentralStoreError.conflict(let keys) {
                #expect(keys == [SequenceConflict(gate: "g1", journalEpoch: epoch, seq: 7, storedID: original.id, presentedID: impostor.id)])
            }
            let alerts = try await f.store.alerts(AlertQuery(kinds: [.conflict])).alerts
            #expect(alerts.count == 1)
            #expect(alerts.first?.entryID == impostor.id)
            #expect(alerts.first?.seq == 7)
            #expect(alerts.first?.detail.contains(original.id.uuidString.lowercased()) == true)
            let stored = try await f.allEntries(nil)
            #expect(stored.map(\.record.id) == [original.id])
        }
    }

    @Test("Two records with one key and different ids in the same batch are a conflict", arguments: StoreEngine.allCases)
    func conflictWithinBatch(engine: StoreEngine) async throws {
        try await withStore(engine) { f, _ in
            let epoch = UUID()
            let a = F.record(epoch: epoch, seq: 1), b = F.record(epoch: epoch, seq: 1, minute: 1)
            await #expect(throws: CentralStoreError.conflict([SequenceConflict(gate: "g1", journalEpoch: epoch, seq: 1,
                                                                               storedID: a.id, presentedID: b.id)])) {
                _ = try await f.store.ingest(gate: "g1", records: [a, b], receivedAt: F.base)
            }
            let stored = try await f.allEntries(nil)
            #expect(stored.isEmpty)
        }
    }

    @Test("A record that breaks a field rule is quarantined with its reasons and still counts toward contiguity", arguments: StoreEngine.allCases)
    func quarantineCountsTowardContiguity(engine: StoreEngine) async throws {
        try await withStore(engine) { f, _ in
            let epoch = UUID()
            var batch = F.records(epoch: epoch, seqs: [1, 2, 3])
            batch[1].credential = Credential(kind: .code, payload: String(repeating: "x", count: FieldLimits.maxCredentialPayloadBytes + 1),
                                             symbology: .qr)
            let reply = try await f.store.ingest(gate: "g1", records: batch, receivedAt: F.base)
            #expect(reply.stored == [batch[0].id, batch[2].id])
            #expect(reply.quarantined.count == 1)
            #expect(reply.quarantined.first?.seq == 2)
            #expect(reply.quarantined.first?.reasons.contains { $0.contains("payload") } == true)
            #expect(reply.acknowledged.first?.contiguousThrough == 3)
            let kept = try await f.store.quarantined(gate: "g1", limit: 10)
            #expect(kept.count == 1)
            #expect(kept.first?.seq == 2)
            let decoded = try CheckpointJSON.decoder().decode(EntryRecord.self, from: Data(try #require(kept.first?.recordJSON).utf8))
            #expect(decoded == batch[1])
            #expect(try await f.allEntries(nil).map(\.record.seq) == [1, 3])
            // Sent again: reported as quarantined again, not stored, no conflict.
            let again = try await f.store.ingest(gate: "g1", records: [batch[1]], receivedAt: F.base)
            #expect(again.quarantined.map(\.seq) == [2])
            #expect(again.stored.isEmpty)
            #expect(try await f.store.quarantined(gate: nil, limit: 10).count == 1)
        }
    }

    @Test("A gate cannot write another gate's records: the batch is refused and nothing is stored", arguments: StoreEngine.allCases)
    func gateCannotWriteOthers(engine: StoreEngine) async throws {
        try await withStore(engine) { f, _ in
            let epoch = UUID()
            var batch = F.records(gate: "g1", epoch: epoch, seqs: [1, 2])
            batch.append(F.record(gate: "g2", epoch: epoch, seq: 3))
            await #expect(throws: CentralStoreError.gateMismatch(authenticated: "g1", presented: "g2")) {
                _ = try await f.store.ingest(gate: "g1", records: batch, receivedAt: F.base)
            }
            await #expect(throws: CentralStoreError.gateMismatch(authenticated: "g2", presented: "g1")) {
                _ = try await f.store.ingest(gate: "g2", records: F.records(gate: "g1", epoch: epoch, seqs: [1]), receivedAt: F.base)
            }
            let stored = try await f.allEntries(nil)
            #expect(stored.isEmpty)
        }
    }

    @Test("Unknown and revoked gates can neither ingest nor send heartbeats", arguments: StoreEngine.allCases)
    func unknownAndRevokedGatesRefused(engine: StoreEngine) async throws {
        try await withStore(engine) { f, _ in
            let epoch = UUID()
            await #expect(throws: CentralStoreError.unknownGate("g9")) {
                _ = try await f.store.ingest(gate: "g9", records: F.records(gate: "g9", epoch: epoch, seqs: [1]), receivedAt: F.base)
            }
            try await f.store.revokeGate("g2", at: F.base)
            await #expect(throws: CentralStoreError.gateRevoked("g2")) {
                _ = try await f.store.ingest(gate: "g2", records: F.records(gate: "g2", epoch: epoch, seqs: [1]), receivedAt: F.base)
            }
            let beat = Heartbeat(gate: "g2", sentAt: F.base, clockSynced: true, bootID: "b", monotonicNanos: 1, journalEpoch: epoch,
                                 lastSeq: 0, backlog: 0, softwareVersion: "1", devices: [])
            await #expect(throws: CentralStoreError.gateRevoked("g2")) {
                _ = try await f.store.recordHeartbeat(gate: "g2", beat, receivedAt: F.base)
            }
            let stored = try await f.allEntries(nil)
            #expect(stored.isEmpty)
        }
    }

    @Test("A batch over the record limit is refused before anything is stored", arguments: StoreEngine.allCases)
    func batchTooLarge(engine: StoreEngine) async throws {
        try await withStore(engine) { f, _ in
            let batch = F.records(epoch: UUID(), seqs: Array(1...Int64(FieldLimits.maxRecordsPerBatch + 1)))
            await #expect(throws: CentralStoreError.batchTooLarge(count: batch.count, limit: FieldLimits.maxRecordsPerBatch)) {
                _ = try await f.store.ingest(gate: "g1", records: batch, receivedAt: F.base)
            }
        }
    }

    @Test("Contiguity stops below the first missing seq, gaps name the missing ranges, and filling them advances it",
          arguments: StoreEngine.allCases)
    func contiguityAndGaps(engine: StoreEngine) async throws {
        try await withStore(engine) { f, _ in
            let epoch = UUID(), other = UUID()
            let seqs: [Int64] = [1, 2, 3, 6, 7, 10]
            let reply = try await f.store.ingest(gate: "g1", records: F.records(epoch: epoch, seqs: seqs)
                                                    + F.records(epoch: other, seqs: [2, 3]), receivedAt: F.base)
            #expect(reply.acknowledged == [EpochAcknowledgement(journalEpoch: epoch, contiguousThrough: 3),
                                           EpochAcknowledgement(journalEpoch: other, contiguousThrough: 0)])
            let gaps = Set(try await f.store.gaps(gate: "g1"))
            #expect(gaps == [SequenceGap(gate: "g1", journalEpoch: epoch, fromSeq: 4, throughSeq: 5),
                             SequenceGap(gate: "g1", journalEpoch: epoch, fromSeq: 8, throughSeq: 9),
                             SequenceGap(gate: "g1", journalEpoch: other, fromSeq: 1, throughSeq: 1)])
            let filled = try await f.store.ingest(gate: "g1", records: F.records(epoch: epoch, seqs: [5, 4, 8, 9]), receivedAt: F.base)
            #expect(filled.acknowledged == [EpochAcknowledgement(journalEpoch: epoch, contiguousThrough: 10)])
            #expect(try await f.store.gaps(gate: "g1") == [SequenceGap(gate: "g1", journalEpoch: other, fromSeq: 1, throughSeq: 1)])
            #expect(try await f.store.gaps(gate: "g2").isEmpty)
            let progress = try await f.store.gateHealth(scope: PlaceScope(level: .gate, id: "g1")).first?.epochs ?? []
            #expect(Set(progress.map { [$0.journalEpoch.uuidString, "\($0.contiguousThrough)", "\($0.highestSeq)"] })
                    == [[epoch.uuidString, "10", "10"], [other.uuidString, "0", "3"]])
        }
    }

    @Test("Contiguity advances across a long run of seqs arriving out of order", arguments: StoreEngine.allCases)
    func contiguityOverLongRuns(engine: StoreEngine) async throws {
        try await withStore(engine) { f, _ in
            let epoch = UUID()
            // 2…4500 first (no seq 1), then seq 1 closes the run in one step.
            for start in stride(from: Int64(2), through: 4_500, by: 500) {
                let reply = try await f.store.ingest(gate: "g1", records: F.records(epoch: epoch, seqs: Array(start...min(start + 499, 4_500))),
                                                     receivedAt: F.base)
                #expect(reply.acknowledged.first?.contiguousThrough == 0)
            }
            let reply = try await f.store.ingest(gate: "g1", records: F.records(epoch: epoch, seqs: [1]), receivedAt: F.base)
            #expect(reply.acknowledged.first?.contiguousThrough == 4_500)
        }
    }

    @Test("Concurrent batches of one gate are all stored exactly once", arguments: StoreEngine.allCases)
    func concurrentBatches(engine: StoreEngine) async throws {
        try await withStore(engine) { f, _ in
            let epoch = UUID()
            let all = F.records(epoch: epoch, seqs: Array(1...200))
            let store = f.store
            try await withThrowingTaskGroup(of: IngestResponse.self) { group in
                for start in stride(from: 0, to: 200, by: 20) {
                    let slice = Array(all[start..<(start + 20)])
                    group.addTask { try await store.ingest(gate: "g1", records: slice, receivedAt: F.base) }
                    group.addTask { try await store.ingest(gate: "g1", records: slice, receivedAt: F.base) }
                }
                var stored = 0, duplicates = 0
                for try await reply in group {
                    stored += reply.stored.count
                    duplicates += reply.duplicates.count
                }
                #expect(stored == 200)
                #expect(duplicates == 200)
            }
            #expect(try await f.allEntries(nil).count == 200)
            #expect(try await f.store.gateHealth(scope: PlaceScope(level: .gate, id: "g1")).first?.epochs.first?.contiguousThrough == 200)
        }
    }
}
