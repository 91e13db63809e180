import CheckpointCore
import Foundation
import Gate
import GateService
import GRDB
import Journal
import TestSupport
import Testing

@Suite("Journal before actuation")
struct ActuationTests {
    func decision(_ payload: String, _ d: Decision, _ r: ReasonCode) -> LaneDecision {
        return LaneDecision(lane: "lane-1", direction: .in,
                            entry: PairedEntry(credential: Fixture.code(payload), reading: Fixture.body(36.5),
                                               thermometerAvailable: true, pairedAt: .zero),
                            outcome: DecisionOutcome(decision: d, reason: r), policyVersion: "test")
    }

    @Test("When the (fake) relay line goes active, a second SQLite connection already reads the admitted entry; the pulse then ends")
    func journalBeforeRelay() async throws {
        let dir = try TestEnvironment.temporaryDirectory("actuation")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = Fixture.journalPath(dir)
        let journal = try Journal.open(path: path, gate: "gate-1", minimumFreeBytes: 0)
        let observer = try DatabaseQueue(path: path)
        let relay = FakeOutputLine("fake-relay")
        let seenAtActivation = Mutex<[EntryRecord]>([])
        relay.onDrive { level in
            guard level == .active else { return }
            let latest = try? observer.read { db in
                try Data.fetchOne(db, sql: "SELECT record FROM entry ORDER BY seq DESC LIMIT 1")
            }
            if let data = latest ?? nil, let r = try? CheckpointJSON.decoder().decode(EntryRecord.self, from: data) {
                seenAtActivation.withLock { $0.append(r) }
            }
        }
        let green = FakeOutputLine("fake-green")
        let actuator = LaneActuator(lane: "lane-1", relay: relay, green: green, pulse: .milliseconds(100), indicatorTime: .milliseconds(100))
        let path1 = EntryPath(committer: GroupCommitter(journal: journal), actuators: [actuator])
        let first = try await path1.complete(decision("https://hc.example/a", .admit, .admitted))
        let second = try await path1.complete(decision("https://hc.example/b", .admit, .admitted))
        let seen = seenAtActivation.withLock { $0 }
        #expect(seen.map(\.id) == [first.id, second.id], "each activation saw its own committed entry")
        #expect(seen.map(\.credential?.payload) == ["https://hc.example/a", "https://hc.example/b"])
        #expect(seen.map(\.decision) == [.admit, .admit] && seen.map(\.seq) == [1, 2])
        #expect(await waitUntil { relay.level == .inactive && green.level == .inactive })
        #expect(relay.levels.first == .active && relay.levels.last == .inactive)
        if let on = relay.edges.first?.at, let off = relay.edges.last?.at {
            #expect(off - on >= .milliseconds(100), "the relay is held for at least its pulse")
        }
    }

    @Test("A refusal lights red and never drives the relay")
    func refusalKeepsRelayClosed() async throws {
        let dir = try TestEnvironment.temporaryDirectory("actuation")
        defer { try? FileManager.default.removeItem(at: dir) }
        let journal = try Journal.open(path: Fixture.journalPath(dir), gate: "gate-1", minimumFreeBytes: 0)
        let relay = FakeOutputLine("fake-relay")
        let red = FakeOutputLine("fake-red")
        let actuator = LaneActuator(lane: "lane-1", relay: relay, red: red, pulse: .milliseconds(50), indicatorTime: .milliseconds(50))
        let path = EntryPath(committer: GroupCommitter(journal: journal), actuators: [actuator])
        let r = try await path.complete(decision("BAD-1", .refuse, .codeDenied))
        #expect(r.decision == .refuse && r.seq == 1)
        #expect(relay.edges.isEmpty)
        #expect(red.levels.first == .active)
        #expect(await waitUntil { red.level == .inactive })
    }

    @Test("When the journal cannot store the entry, the relay is never driven and the failure is reported")
    func journalFailureKeepsGateClosed() async throws {
        struct DiskGone: Error {}
        let relay = FakeOutputLine("fake-relay")
        let red = FakeOutputLine("fake-red")
        let actuator = LaneActuator(lane: "lane-1", relay: relay, red: red, pulse: .milliseconds(50), indicatorTime: .milliseconds(50))
        let reported = Mutex(0)
        let decided = Mutex(0)
        let path = EntryPath(committer: GroupCommitter { _ in throw DiskGone() }, actuators: [actuator],
                             effects: .init(journalFailed: { _, _ in reported.withLock { $0 += 1 } },
                                            decided: { _ in decided.withLock { $0 += 1 } }))
        await #expect(throws: DiskGone.self) { try await path.complete(decision("https://hc.example/a", .admit, .admitted)) }
        #expect(relay.edges.isEmpty)
        #expect(red.levels.first == .active)
        #expect(reported.withLock { $0 } == 1 && decided.withLock { $0 } == 1)
    }
}
