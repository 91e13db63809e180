import CheckpointCore
import Foundation
import Journal
import TestSupport
import Testing

/// The gate against the REAL central store (`checkpoint-central`, SQLite) over loopback. The gate
/// side is `gate-stream-harness`: the real GateService → journal → (simulated) relay → Uplink,
/// fed with synthetic scan + reading events, run as a process so it can be killed.
@Suite("Gate to the real central store over loopback", .serialized)
struct EndToEndTests {
    @Test("1,000 entries with the central store killed for part of the run and restarted: all 1,000 arrive once, seq gap-free")
    func centralOutage() async throws {
        let central = try CentralLoopback()
        defer { central.cleanUp() }
        try await central.start()
        let journalPath = central.directory.appendingPathComponent("journal.sqlite").path
        let harness = try GateHarness(journal: journalPath, central: central, total: 1_000, run: 1, paceMs: 2)
        #expect(await waitUntil(within: .seconds(20)) { harness.journaled.count >= 200 })
        central.kill9()
        let journaledAtKill = harness.journaled.count
        #expect(journaledAtKill < 700)
        #expect(await waitUntil(within: .seconds(20)) { harness.journaled.count >= journaledAtKill + 300 },
                "the gate keeps deciding and journaling while the store is down")
        let backlogWhileDown = try JournalReader(path: journalPath).state().backlog
        #expect(backlogWhileDown >= 250, "entries journaled during the outage wait in the journal")
        try await central.start()
        #expect(await harness.exitStatus(within: 30) == 0)
        #expect(harness.drained)
        let stored = try central.storedRecords()
        let journaled = harness.journaled
        #expect(stored.count == 1_000)
        #expect(stored.map(\.seq) == Array(1...1_000))
        #expect(stored.map(\.id) == journaled.map(\.id), "the store holds exactly the ids the gate journaled")
        let state = try JournalReader(path: journalPath).state()
        #expect(state.lastSeq == 1_000 && state.ackedThrough == 1_000)
    }

    @Test("kill -9 of the gate process repeatedly during a stream: nothing journaled is lost, nothing is stored twice")
    func gateKilled() async throws {
        let central = try CentralLoopback()
        defer { central.cleanUp() }
        try await central.start()
        let journalPath = central.directory.appendingPathComponent("journal.sqlite").path
        let total = 600
        var printed: [(seq: Int64, id: String)] = []
        var kills = 0
        for run in 1...6 {
            let harness = try GateHarness(journal: journalPath, central: central, total: total, run: run)
            let before = printed.count
            let target = before + Int.random(in: 40...110)
            _ = await waitUntil(within: .seconds(20)) { harness.journaled.count + before >= target || harness.drained }
            if harness.drained { printed += harness.journaled; break }
            harness.kill9()
            kills += 1
            printed += harness.journaled
        }
        let final = try GateHarness(journal: journalPath, central: central, total: total, run: 99)
        #expect(await final.exitStatus(within: 30) == 0)
        printed += final.journaled
        #expect(kills >= 3)
        let journal = try JournalReader(path: journalPath)
        let state = try journal.state()
        #expect(state.lastSeq == Int64(total) && state.backlog == 0)
        let records = try journal.latest(total + 10)
        #expect(records.map(\.seq) == Array(1...Int64(total)), "the journal is gap-free across every kill")
        let stored = try central.storedRecords()
        #expect(stored.count == total && Set(stored.map(\.seq)).count == total, "nothing stored twice")
        #expect(stored.map(\.id) == records.map { $0.id.uuidString.lowercased() }, "every journaled entry reached the store with its id")
        let storedByID = Set(stored.map(\.id))
        #expect(printed.allSatisfy { storedByID.contains($0.id) }, "every entry reported as journaled before a kill is at the store")
    }
}
