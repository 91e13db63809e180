import CheckpointCore
import Foundation
import GRDB
import Journal
import TestSupport
import Testing

@Suite("The journal")
struct JournalFileTests {
    @Test("The journal runs in WAL mode with synchronous=FULL, as read back from SQLite itself and from a second connection")
    func durabilitySettings() throws {
        let dir = try TestEnvironment.temporaryDirectory("journal")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = Fixture.journalPath(dir)
        let journal = try Journal.open(path: path, gate: "gate-1", minimumFreeBytes: 0)
        let s = try journal.durabilitySettings()
        #expect(s.journalMode == "wal" && s.synchronous == 2)
        let other = try DatabaseQueue(path: path)
        #expect(try other.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") } == "wal")
    }

    @Test("Sequence numbers are gap-free from 1 within one epoch, across batches and across closing and reopening")
    func seqGapFreeAcrossReopen() throws {
        let dir = try TestEnvironment.temporaryDirectory("journal")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = Fixture.journalPath(dir)
        var epoch: UUID
        do {
            let j = try Journal.open(path: path, gate: "gate-1", minimumFreeBytes: 0)
            epoch = j.epoch
            _ = try j.append([Fixture.draft()])
            _ = try j.append((0..<4).map { _ in Fixture.draft() })
        }
        let j = try Journal.open(path: path, gate: "gate-1", minimumFreeBytes: 0)
        #expect(j.epoch == epoch)
        let more = try j.append([Fixture.draft(), Fixture.draft()])
        #expect(more.map(\.seq) == [6, 7])
        let all = try j.pending(limit: 100)
        #expect(all.map(\.seq) == Array(1...7))
        #expect(Set(all.map(\.id)).count == 7 && all.allSatisfy { UUIDv7.isVersion7($0.id) && $0.journalEpoch == epoch })
        #expect(all.allSatisfy { $0.gate == "gate-1" && $0.bootID.count == 36 && $0.monotonicNanos > 0 })
    }

    @Test("A new journal file starts a new epoch at seq 1")
    func newEpoch() throws {
        let dir = try TestEnvironment.temporaryDirectory("journal")
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = try Journal.open(path: Fixture.journalPath(dir, "a.sqlite"), gate: "gate-1", minimumFreeBytes: 0)
        let b = try Journal.open(path: Fixture.journalPath(dir, "b.sqlite"), gate: "gate-1", minimumFreeBytes: 0)
        _ = try a.append([Fixture.draft(), Fixture.draft()])
        #expect(a.epoch != b.epoch)
        #expect(try b.append([Fixture.draft()]).first?.seq == 1)
    }

    @Test("A file that is not a database is reported as corrupt and left byte-for-byte untouched")
    func notADatabase() throws {
        let dir = try TestEnvironment.temporaryDirectory("journal")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = Fixture.journalPath(dir)
        let garbage = Data((0..<8192).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) })
        try garbage.write(to: URL(fileURLWithPath: path))
        #expect {
            try Journal.open(path: path, gate: "gate-1", minimumFreeBytes: 0)
        } throws: { e in
            if case .corrupt = e as? JournalError { return true } else { return false }
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == garbage)
    }

    @Test("A journal whose pages were damaged fails the integrity check at open and is reported as corrupt")
    func damagedPages() throws {
        let dir = try TestEnvironment.temporaryDirectory("journal")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = Fixture.journalPath(dir)
        do {
            let j = try Journal.open(path: path, gate: "gate-1", minimumFreeBytes: 0)
            for _ in 0..<20 { _ = try j.append((0..<20).map { _ in Fixture.draft(String(repeating: "x", count: 200)) }) }
        }
        // The last connection closed: the WAL is checkpointed into the main file. Damage pages 3…6.
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        try handle.seek(toOffset: 2 * 4096)
        try handle.write(contentsOf: Data(repeating: 0xA5, count: 4 * 4096))
        try handle.close()
        #expect {
            try Journal.open(path: path, gate: "gate-1", minimumFreeBytes: 0)
        } throws: { e in
            if case .corrupt = e as? JournalError { return true } else { return false }
        }
    }

    @Test("Too little free space at start is reported as a full disk before anything is opened")
    func diskFullAtStart() throws {
        let dir = try TestEnvironment.temporaryDirectory("journal")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = Fixture.journalPath(dir)
        #expect {
            try Journal.open(path: path, gate: "gate-1", minimumFreeBytes: 1 << 60)
        } throws: { e in
            if case .diskFull = e as? JournalError { return true } else { return false }
        }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test("A journal at its size cap refuses appends as diskFull, keeps what it committed, and takes entries after pruning")
    func fullAtRuntime() throws {
        let dir = try TestEnvironment.temporaryDirectory("journal")
        defer { try? FileManager.default.removeItem(at: dir) }
        let j = try Journal.open(path: Fixture.journalPath(dir), gate: "gate-1", minimumFreeBytes: 0, maximumBytes: 128 * 1024)
        var committed: Int64 = 0
        var failure: JournalError?
        for _ in 0..<500 {
            do { committed = try j.append([Fixture.draft(String(repeating: "q", count: 1500))]).last?.seq ?? committed }
            catch { failure = error as? JournalError; break }
        }
        guard case .diskFull? = failure else { Issue.record("expected diskFull, got \(String(describing: failure))"); return }
        #expect(committed > 10)
        #expect(try j.state().lastSeq == committed && j.pending(limit: 1000).map(\.seq) == Array(1...committed))
        try j.acknowledge(epoch: j.epoch, contiguousThrough: committed)
        #expect(try j.prune(journaledBefore: Date().addingTimeInterval(1)) == Int(committed))
        #expect(try j.append([Fixture.draft()]).first?.seq == committed + 1)
    }

    @Test("Another gate's journal, or another program's database, is refused as foreign")
    func foreign() throws {
        let dir = try TestEnvironment.temporaryDirectory("journal")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = Fixture.journalPath(dir)
        _ = try Journal.open(path: path, gate: "gate-1", minimumFreeBytes: 0)
        #expect { try Journal.open(path: path, gate: "gate-2", minimumFreeBytes: 0) } throws: { e in
            if case .foreign = e as? JournalError { return true } else { return false }
        }
        let otherPath = Fixture.journalPath(dir, "other.sqlite")
        try DatabaseQueue(path: otherPath).write { try $0.execute(sql: "CREATE TABLE notes (t TEXT)") }
        #expect { try Journal.open(path: otherPath, gate: "gate-1", minimumFreeBytes: 0) } throws: { e in
            if case .foreign = e as? JournalError { return true } else { return false }
        }
    }

    @Test("Acknowledgement only moves forward within its epoch, and pruning removes only acknowledged entries past retention")
    func acknowledgeAndPrune() throws {
        let dir = try TestEnvironment.temporaryDirectory("journal")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = Fixture.journalPath(dir)
        let j = try Journal.open(path: path, gate: "gate-1", minimumFreeBytes: 0)
        _ = try j.append((0..<10).map { _ in Fixture.draft() }, journaledAt: Date(timeIntervalSinceNow: -3600))
        #expect(try j.acknowledge(epoch: j.epoch, contiguousThrough: 6) == 6)
        #expect(try j.acknowledge(epoch: j.epoch, contiguousThrough: 4) == 6)
        #expect(try j.acknowledge(epoch: UUID(), contiguousThrough: 9) == 6)
        #expect(try j.state().backlog == 4)
        #expect(try j.pending(limit: 100).map(\.seq) == [7, 8, 9, 10])
        #expect(try j.prune(journaledBefore: Date(timeIntervalSinceNow: -7200)) == 0, "still within retention")
        #expect(try j.prune(journaledBefore: Date()) == 6)
        #expect(try j.acknowledge(epoch: j.epoch, contiguousThrough: 99) == 10, "never past the last journaled seq")
        #expect(try j.prune(journaledBefore: Date()) == 4)
        let s = try j.state()
        #expect(s.rows == 0 && s.lastSeq == 10 && s.backlog == 0)
        #expect(try j.append([Fixture.draft()]).first?.seq == 11)
    }

    @Test("A record beyond the field limits is refused and nothing is journaled")
    func invalidRecord() throws {
        let dir = try TestEnvironment.temporaryDirectory("journal")
        defer { try? FileManager.default.removeItem(at: dir) }
        let j = try Journal.open(path: Fixture.journalPath(dir), gate: "gate-1", minimumFreeBytes: 0)
        let tooLong = String(repeating: "x", count: FieldLimits.maxCredentialPayloadBytes + 1)
        #expect(throws: JournalError.self) { try j.append([Fixture.draft(), Fixture.draft(tooLong)]) }
        #expect(try j.state().lastSeq == 0)
    }

    @Test("The watch list is kept in the journal file across reopening; a full delta replaces it")
    func watchListPersisted() throws {
        let dir = try TestEnvironment.temporaryDirectory("journal")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = Fixture.journalPath(dir)
        let red = WatchListEntry(credential: "r", colour: .red, isolation: true, reason: "x", validUntil: nil, version: 3)
        do {
            let j = try Journal.open(path: path, gate: "gate-1", minimumFreeBytes: 0)
            try j.applyWatchList(WatchListDelta(version: 3, upserts: [red], removals: [], full: false))
        }
        let j = try Journal.open(path: path, gate: "gate-1", minimumFreeBytes: 0)
        let list = try j.watchList()
        #expect(list.version == 3 && list.entries == [red])
        #expect(try j.applyWatchList(WatchListDelta(version: 2, upserts: [], removals: ["r"], full: false)) == false)
        try j.applyWatchList(WatchListDelta(version: 1, upserts: [], removals: [], full: true))
        #expect(try j.watchList().entries.isEmpty && j.watchList().version == 1)
    }
}

@Suite("Group commit")
struct GroupCommitTests {
    @Test("Entries arriving while a commit runs are journaled together in the next transaction, each returned only after its commit")
    func groupsWhileBusy() async throws {
        let dir = try TestEnvironment.temporaryDirectory("journal")
        defer { try? FileManager.default.removeItem(at: dir) }
        let journal = try Journal.open(path: Fixture.journalPath(dir), gate: "gate-1", minimumFreeBytes: 0)
        let firstCommitEntered = DispatchSemaphore(value: 0)
        let releaseFirstCommit = DispatchSemaphore(value: 0)
        let calls = Mutex(0)
        let committer = GroupCommitter { drafts in
            let n = calls.withLock { c -> Int in c += 1; return c }
            if n == 1 {
                firstCommitEntered.signal()
                releaseFirstCommit.wait()
            }
            return try journal.append(drafts)
        }
        async let first = committer.append(Fixture.draft())
        await Task.detached { firstCommitEntered.wait() }.value
        let burst = Task {
            try await withThrowingTaskGroup(of: EntryRecord.self) { group in
                for _ in 0..<9 { group.addTask { try await committer.append(Fixture.draft()) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
        }
        // Wait (deadline 5 s) until all nine wait behind the blocked commit, then let it finish.
        let deadline = Date().addingTimeInterval(5)
        while committer.pendingCount < 9, Date() < deadline { try await Task.sleep(for: .milliseconds(5)) }
        #expect(try journal.state().lastSeq == 0, "nothing is committed while the first commit is held")
        releaseFirstCommit.signal()
        let records = try await [first] + burst.value
        #expect(records.map(\.seq).sorted() == Array(1...10))
        let stats = committer.statistics
        #expect(stats.transactions == 2 && stats.largestTransaction == 9 && stats.entries == 10)
    }
}
