// Gate journal append (module Journal): SQLite, WAL, synchronous=FULL, in a fresh temporary
// directory per benchmark. Every transaction is fsynced, so these figures are the disk's as much
// as the code's. One iteration = one `Journal.append` (one transaction) of N drafts, or, for the
// group committer, N concurrent callers whose drafts it folds into as few transactions as it can.
// The reference, measured in the same run: `RawSQLite-N-per-transaction` writes the same rows with
// the same pragmas through the SQLite C API alone (RawSQLiteJournal.swift); the goal is the journal
// at ≥ 0.8× its entries/s.
import Benchmark
import CheckpointCore
import Foundation
import Journal

/// A file made by `make` in its own temporary directory, opened in `setup`, removed in `teardown`.
final class TemporaryFileFixture<Value> {
    let name: String
    let make: (String) throws -> Value
    var directory: URL?
    var value: Value?

    /// - Parameter make: opens or creates the file at the path it is given.
    init(name: String, make: @escaping (String) throws -> Value) {
        self.name = name
        self.make = make
    }

    func open() throws -> Value {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("checkpoint-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        self.directory = directory
        let value = try make(directory.appendingPathComponent(name).path)
        self.value = value
        return value
    }

    func remove() {
        value = nil
        if let directory { try? FileManager.default.removeItem(at: directory) }
        directory = nil
    }
}

/// A typical admitted entry (code + body temperature); clock facts fixed so only the journal is measured.
func draft(_ i: Int) -> EntryDraft {
    EntryDraft(clock: ClockFacts(wallClock: Date(timeIntervalSince1970: 1_795_478_400 + Double(i)), clockSynced: true,
                                 bootID: "6a1d7c1e-2f0b-4c6e-8d1a-0b6f6e0c9a11", monotonicNanos: UInt64(i) * 1_000_000),
               content: EntryContent(lane: "lane-1", direction: .in,
                                     credential: Credential(kind: .code, payload: "HC1:Kp7Qx2Zr9Lm4Tv8Wc3Yb6\(i)", symbology: .qr),
                                     temperature: TemperatureReading(celsius: 36.5, kind: .body, raw: 3650, device: "usb:1a86:7523@1-1.2"),
                                     decision: .admit, reason: .admitted, policyVersion: "p1"))
}

/// Transactions the group committer needed for one iteration's concurrent appends (1 = all folded into one).
let transactionsPerIteration = BenchmarkMetric.custom("transactions", polarity: .prefersSmaller, useScalingFactor: false)

func benchmarks() {
    let metrics: [BenchmarkMetric] = [.wallClock, .throughput, .mallocCountTotal]
    // Allocations per transaction are (nearly) deterministic: > 5 % above the recorded threshold is
    // a regression. Time is not gated: it is the disk's, and it varied 20-fold on the shared machine.
    let thresholds: [BenchmarkMetric: BenchmarkThresholds] = [.mallocCountTotal: BenchmarkThresholds(relative: [.p50: 5, .p90: 5])]

    /// One benchmark per size: `append` writes `perTransaction` entries in one transaction to a
    /// fresh file made by `open` (`name` holds the size).
    func appendBenchmarks<Target>(_ name: String, open: @escaping (String) throws -> Target,
                                  append: @escaping (Target, Int) throws -> Void) {
        for perTransaction in [1, 10, 100] {
            let fixture = TemporaryFileFixture(name: "\(name).sqlite", make: open)
            Benchmark("\(name)-\(perTransaction)-per-transaction",
                      configuration: .init(metrics: metrics,
                                           maxDuration: .seconds(2), maxIterations: 500, thresholds: thresholds)) { benchmark, target in
                do { try append(target, perTransaction) } catch { benchmark.error("append failed: \(error)") }
            } setup: {
                try fixture.open()
            } teardown: {
                fixture.remove()
            }
        }
    }
    let drafts = Dictionary(uniqueKeysWithValues: [1, 10, 100].map { n in (n, (0..<n).map(draft)) })
    appendBenchmarks("Append", open: { try Journal.open(path: $0, gate: "bench-gate") }) { journal, n in
        blackHole(try journal.append(drafts[n]!))
    }
    let rows = drafts.mapValues { $0.map { RawJournalRow($0, gate: "bench-gate") } }
    appendBenchmarks("RawSQLite", open: { try RawSQLiteJournal(path: $0) }) { raw, n in
        blackHole(try raw.append(rows[n]!, journaledAt: Date().timeIntervalSince1970))
    }

    let callers = 32
    let fixture = TemporaryFileFixture(name: "journal.sqlite") { try Journal.open(path: $0, gate: "bench-gate") }
    let callerDrafts = (0..<callers).map(draft)
    Benchmark("GroupCommitter-\(callers)-concurrent-appends",
              configuration: .init(metrics: metrics + [transactionsPerIteration],
                                   maxDuration: .seconds(2), maxIterations: 500, thresholds: thresholds)) { benchmark, committer in
        let before = committer.statistics
        do {
            try await withThrowingTaskGroup(of: EntryRecord.self) { group in
                for d in callerDrafts { group.addTask { try await committer.append(d) } }
                for try await record in group { blackHole(record) }
            }
        } catch {
            benchmark.error("append failed: \(error)")
        }
        let after = committer.statistics
        benchmark.measurement(transactionsPerIteration, after.transactions - before.transactions)
    } setup: {
        GroupCommitter(journal: try fixture.open())
    } teardown: {
        fixture.remove()
    }
}
