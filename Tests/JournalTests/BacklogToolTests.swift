import CheckpointCore
import Foundation
import Journal
import TestSupport
import Testing

@Suite("checkpoint-sim backlog")
struct BacklogToolTests {
    @Test("checkpoint-sim backlog journals COUNT distinct admitted entries, gap-free and unacknowledged, and never overwrites")
    func backlogJournal() throws {
        let dir = try TestEnvironment.temporaryDirectory("backlog-tool")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("journal.sqlite").path
        let (status, output) = try runBuilt("checkpoint-sim", ["backlog", "--journal", path, "--gate", "gate-7", "--count", "2500"])
        #expect(status == 0, "\(output)")
        let journal = try Journal.open(path: path, gate: "gate-7", minimumFreeBytes: 0)
        let state = try journal.state()
        #expect(state.lastSeq == 2500 && state.ackedThrough == 0 && state.rows == 2500)
        let pending = try journal.pending(limit: 3000)
        #expect(pending.map(\.seq) == Array(1...2500))
        #expect(Set(pending.compactMap(\.content.credential?.payload)).count == 2500)
        #expect(pending.allSatisfy { $0.content.decision == .admit && $0.violations().isEmpty })
        #expect(zip(pending, pending.dropFirst()).allSatisfy { $0.occurredAt < $1.occurredAt })
        #expect(pending.last.map { abs($0.occurredAt.timeIntervalSinceNow) < 60 } == true)
        let again = try runBuilt("checkpoint-sim", ["backlog", "--journal", path, "--gate", "gate-7", "--count", "1"])
        #expect(again.0 != 0)
        #expect(try journal.state().lastSeq == 2500)
    }
}
