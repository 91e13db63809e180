import CheckpointCore
import Foundation
import GRDB
import Journal
import TestSupport
import Testing

/// `kill -9` of the REAL `checkpointd` while people stream through its gate: the scanner (GM65, serial)
/// and the body thermometer (LU90614) are checkpoint-sim devices speaking their real protocols on
/// PTYs, the relay is a simulated line, the central store is the REAL `checkpoint-central` (SQLite)
/// over loopback. People who scan while the daemon is down are simply not decided; the assertions
/// are about what was journaled.
@Suite("kill -9 of checkpointd during a stream of people", .serialized)
struct CheckpointdKillTests {
    /// (journalEpoch, seq, id) of every record the store holds for `gate`, by seq; ids lower-case.
    func storedKeys(_ central: CentralLoopback) throws -> [String] {
        var configuration = Configuration()
        configuration.readonly = true
        let db = try DatabaseQueue(path: central.directory.appendingPathComponent("central.sqlite").path, configuration: configuration)
        return try db.read { db in
            try Row.fetchAll(db, sql: "SELECT journal_epoch, seq, id FROM entries WHERE gate = ? ORDER BY seq", arguments: [central.gate])
                .map { "\(($0["journal_epoch"] as String).lowercased()) \($0["seq"] as Int64) \(($0["id"] as String).lowercased())" }
        }
    }

    func quarantined(_ central: CentralLoopback) throws -> Int {
        var configuration = Configuration()
        configuration.readonly = true
        let db = try DatabaseQueue(path: central.directory.appendingPathComponent("central.sqlite").path, configuration: configuration)
        return try db.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM quarantine WHERE gate = ?", arguments: [central.gate]) ?? -1 }
    }

    /// The part of `GET /v1/gates/{gate}` (admin API) this test reads.
    struct GateProgress: Decodable {
        struct Epoch: Decodable { var journalEpoch: UUID; var contiguousThrough: Int64; var highestSeq: Int64 }
        struct Health: Decodable { var epochs: [Epoch] }
        var health: Health
        var missingRecords: Int64
    }

    @Test("Repeated kill -9 of checkpointd during a stream of people loses no journaled entry and stores none twice")
    func killedDuringStream() async throws {
        let gateTests = CheckpointdGateTests()
        let central = try CentralLoopback()
        defer { central.cleanUp() }
        try await central.start()
        let dir = central.directory
        let (sim, north, scanner) = try CheckpointdGateTests.startSimulatedDevices(in: dir)
        defer { sim.stop() }
        let socket = dir.appendingPathComponent("control.sock").path
        let config = try CheckpointdGateTests.writeConfiguration(central: central, thermometer: north, scanner: scanner)
        let journalPath = dir.appendingPathComponent("journal.sqlite").path

        var starts = 0
        var daemon: Process?
        defer { if let d = daemon, d.isRunning { kill(d.processIdentifier, SIGKILL); d.waitUntilExit() } }
        func startDaemon() async throws -> CheckpointdGateTests.JournalStatus {
            starts += 1
            daemon = try gateTests.startDaemon(config: config, socket: socket, log: dir.appendingPathComponent("daemon-\(starts).log"))
            let up = try await waitUntil(within: .seconds(10)) { try gateTests.journalStatus(socket) != nil }
            return try #require(up ? try gateTests.journalStatus(socket) : nil, "checkpointd start \(starts) answers on its control socket")
        }

        var sent: [String] = []
        /// One person: a body temperature (sometimes a fever), a moment for the thermometer's poll,
        /// then a code no one else shows.
        func person(pauseMs: Int) async throws {
            let celsius = Bool.random() && sent.count % 5 == 4 ? 38.3 : Double.random(in: 36.0...37.0)
            _ = sim.send("north set \(String(format: "%.1f", celsius))")
            try await Task.sleep(for: .milliseconds(pauseMs))
            let code = "https://hc.example/kill-\(sent.count + 1)-\(UUID().uuidString.prefix(8))"
            _ = sim.send("scanner scan \(code)")
            sent.append(code)
        }

        let first = try await startDaemon()
        #expect(first.state.lastSeq == 0)
        var acknowledgedBeforeKill: [UUID: Int64] = [:]
        var lastSeqAtKill: [Int64] = []
        // Each kill lands at another moment after the last person's scan: at once (the scan still in
        // the PTY or in pairing), inside the pairing window, around the decision, after it.
        let killDelaysMs = [0, 250, 550, 900].shuffled()
        for delay in killDelaysMs {
            for _ in 0..<Int.random(in: 4...6) {
                try await person(pauseMs: Int.random(in: 0...700))
                try await Task.sleep(for: .milliseconds(Int.random(in: 150...400)))
            }
            let seen = try #require(try gateTests.journalStatus(socket), "the control socket answers before the kill")
            for entry in seen.latest { acknowledgedBeforeKill[entry.id] = entry.seq }
            try await person(pauseMs: Int.random(in: 0...300))
            try await Task.sleep(for: .milliseconds(delay))
            let victim = try #require(daemon)
            kill(victim.processIdentifier, SIGKILL)
            victim.waitUntilExit()
            #expect(victim.terminationReason == .uncaughtSignal && victim.terminationStatus == SIGKILL)
            lastSeqAtKill.append(seen.state.lastSeq)
            try await person(pauseMs: 0)  // steps up while the gate is down
            let resumed = try await startDaemon()
            #expect(resumed.state.journalEpoch == first.state.journalEpoch, "the same journal file after the kill")
            #expect(resumed.state.lastSeq >= seen.state.lastSeq, "nothing acknowledged before the kill is gone")
        }
        for _ in 0..<3 {
            try await person(pauseMs: Int.random(in: 0...700))
            try await Task.sleep(for: .milliseconds(300))
        }

        // Quiet: the last decisions are made and the uplink catches up.
        // Settled = everything journaled is at the store AND no decision is still on its way: the last
        // seq has not moved for longer than a pairing can take (a loaded machine decides late).
        var settled: CheckpointdGateTests.JournalStatus?
        var lastChange: (seq: Int64, at: ContinuousClock.Instant)?
        let caughtUp = try await waitUntil(within: .seconds(20)) {
            guard let s = try gateTests.journalStatus(socket) else { return false }
            if lastChange?.seq != s.state.lastSeq { lastChange = (s.state.lastSeq, ContinuousClock.now) }
            guard s.state.ackedThrough == s.state.lastSeq, try storedKeys(central).count == Int(s.state.lastSeq),
                  let since = lastChange?.at, ContinuousClock.now - since >= .seconds(2) else { return false }
            settled = s
            return true
        }
        #expect(caughtUp, "the store acknowledges the whole journal")
        let last = try #require(daemon)
        kill(last.processIdentifier, SIGTERM)
        #expect(try await waitUntil(within: .seconds(10)) { !last.isRunning }, "checkpointd stops on SIGTERM")
        let settledSeq = try #require(settled?.state.lastSeq)

        #expect(starts == killDelaysMs.count + 1, "\(killDelaysMs.count) kills, each followed by a restart")
        #expect(zip(lastSeqAtKill, lastSeqAtKill.dropFirst()).allSatisfy { $0 < $1 } && (lastSeqAtKill.first ?? 0) > 0,
                "every daemon was killed while deciding the stream: last seq at each kill \(lastSeqAtKill)")

        let reader = try JournalReader(path: journalPath)
        let state = try reader.state()
        let journaled = try reader.latest(sent.count + 10)
        let n = state.lastSeq
        #expect(n == settledSeq && n >= 15, "\(n) of \(sent.count) people journaled")
        #expect(journaled.map(\.seq) == Array(1...max(1, n)), "the journal's seq is 1…N, gap-free across every kill")
        #expect(Set(journaled.map(\.journalEpoch)) == [first.state.journalEpoch], "one epoch")
        let payloads = journaled.compactMap { $0.credential?.payload }
        #expect(payloads.count == journaled.count && Set(payloads).count == payloads.count, "no person decided twice")
        #expect(Set(payloads).isSubset(of: Set(sent)), "only codes that were shown")
        let journaledIDs = Dictionary(uniqueKeysWithValues: journaled.map { ($0.id, $0.seq) })
        let lost = acknowledgedBeforeKill.filter { journaledIDs[$0.key] != $0.value }
        #expect(!acknowledgedBeforeKill.isEmpty && lost.isEmpty, "every entry the daemon showed before a kill is in the journal: lost \(lost)")

        let stored = try storedKeys(central)
        #expect(stored == journaled.map { "\($0.journalEpoch.uuidString.lowercased()) \($0.seq) \($0.id.uuidString.lowercased())" },
                "every journaled record is at the store exactly once, under its (gate, epoch, seq) with its id")
        #expect(Set(stored.map { $0.split(separator: " ")[2] }).count == stored.count, "no id stored twice")
        #expect(try quarantined(central) == 0)
        let (status, body) = try await central.admin(.GET, "/v1/gates/\(central.gate)")
        let progress = try JSONDecoder().decode(GateProgress.self, from: Data(body.utf8))
        #expect(status == 200)
        let epochs = progress.health.epochs
        #expect(epochs.map(\.journalEpoch) == [first.state.journalEpoch] && progress.missingRecords == 0)
        #expect(epochs.first?.contiguousThrough == n && epochs.first?.highestSeq == n, "the store's contiguous sequence for the gate is N")
    }
}
