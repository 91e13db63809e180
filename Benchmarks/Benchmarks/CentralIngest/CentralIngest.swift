// Central store ingest (module CentralStore, SQLite engine in a fresh temporary directory):
// one iteration = one `ingest` of a 500-record batch (FieldLimits.maxRecordsPerBatch), the most a
// gate sends at once. "new" batches continue the gate's sequence; "duplicates" re-sends the
// first batch, as a gate does when the acknowledgement was lost.
import Benchmark
import CentralStore
import CheckpointCore
import Foundation
import Logging

/// A store with one registered gate, in its own temporary directory.
final class StoreFixture {
    static let gate = "g1"
    static let base = Date(timeIntervalSince1970: 1_795_478_400)
    var directory: URL?
    var store: SQLCentralStorage?
    let epoch = UUID()
    /// The next seq to send (new-record batches continue from here).
    var nextSeq: Int64 = 1

    func open() async throws -> SQLCentralStorage {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("checkpoint-bench-central-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        self.directory = directory
        var logger = Logger(label: "bench-central")
        logger.logLevel = .warning
        let store = try await CentralStorageFactory.openSQL(
            .sqlite(path: directory.appendingPathComponent("central.sqlite").path), logger: logger)
        try await store.upsertPlaces(PlaceDirectory(streets: [
            StreetOffice(id: "wenhua", name: "文化路街道", communities: [
                Community(id: "hexi", name: "河西社区", checkpoints: [
                    CheckpointPlace(id: "hexi-1", name: "河西一号卡点", gates: [GatePlace(id: Self.gate)]),
                ]),
            ]),
        ]))
        _ = try await store.registerGate(Self.gate, checkpoint: "hexi-1", at: Self.base)
        self.store = store
        return store
    }

    func close() async {
        await store?.close()
        store = nil
        if let directory { try? FileManager.default.removeItem(at: directory) }
        directory = nil
    }

    /// The next `count` records of this gate's epoch.
    func nextBatch(_ count: Int = FieldLimits.maxRecordsPerBatch) -> [EntryRecord] {
        let batch = (nextSeq..<(nextSeq + Int64(count))).map { record(seq: $0) }
        nextSeq += Int64(count)
        return batch
    }

    /// A valid admitted entry, one second apart.
    func record(seq: Int64) -> EntryRecord {
        let at = Self.base.addingTimeInterval(Double(seq))
        return EntryRecord(id: UUIDv7.make(at: at), gate: Self.gate, journalEpoch: epoch, seq: seq, occurredAt: at,
                           clockSynced: true, bootID: "6a1d7c1e-2f0b-4c6e-8d1a-0b6f6e0c9a11",
                           monotonicNanos: UInt64(seq) * 1_000_000_000, lane: "lane-1", direction: .in,
                           credential: Credential(kind: .code, payload: "HC1:Kp7Qx2Zr9Lm4Tv8Wc3Yb6\(seq)", symbology: .qr),
                           temperature: TemperatureReading(celsius: 36.5, kind: .body, raw: 3650, device: "usb:1a86:7523@1-1.2"),
                           decision: .admit, reason: .admitted, policyVersion: "p1")
    }
}

/// Which batch an iteration sends, and how many of its records the response must count as expected.
struct IngestCase {
    var name: String
    /// Runs once after the store is opened (e.g. sends the batch that is later re-sent).
    var prepare: (StoreFixture, SQLCentralStorage) async throws -> Void
    var batch: (StoreFixture) -> [EntryRecord]
    var expected: (IngestResponse) -> Int
}

func benchmarks() {
    let metrics: [BenchmarkMetric] = [.wallClock, .throughput, .mallocCountTotal]
    // Allocations per batch are deterministic: > 5 % above the recorded threshold is a regression.
    // Time is not gated (fsync-bound, shared machine).
    let thresholds: [BenchmarkMetric: BenchmarkThresholds] = [.mallocCountTotal: BenchmarkThresholds(relative: [.p50: 5, .p90: 5])]
    let batchSize = FieldLimits.maxRecordsPerBatch
    var firstBatch: [EntryRecord] = []
    let cases = [
        IngestCase(name: "Ingest-\(batchSize)-new-records", prepare: { _, _ in }, batch: { $0.nextBatch() },
                   expected: { $0.stored.count }),
        IngestCase(name: "Ingest-\(batchSize)-resent-duplicates",
                   prepare: { fixture, store in
                       firstBatch = fixture.nextBatch()
                       _ = try await store.ingest(gate: StoreFixture.gate, records: firstBatch, receivedAt: StoreFixture.base)
                   },
                   batch: { _ in firstBatch }, expected: { $0.duplicates.count }),
    ]
    for c in cases {
        let fixture = StoreFixture()
        Benchmark(c.name,
                  configuration: .init(metrics: metrics,
                                       maxDuration: .seconds(3), maxIterations: 100, thresholds: thresholds)) { (benchmark: Benchmark, store: SQLCentralStorage) in
            let batch = c.batch(fixture)
            benchmark.startMeasurement()
            do {
                let response = try await store.ingest(gate: StoreFixture.gate, records: batch, receivedAt: StoreFixture.base)
                benchmark.stopMeasurement()
                if c.expected(response) != batchSize { benchmark.error("\(c.expected(response)) of \(batchSize) as expected") }
            } catch {
                benchmark.error("ingest failed: \(error)")
            }
        } setup: { () async throws -> SQLCentralStorage in
            let store = try await fixture.open()
            try await c.prepare(fixture, store)
            return store
        } teardown: {
            await fixture.close()
        }
    }
}
