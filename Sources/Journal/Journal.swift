import CheckpointCore
import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#endif

/// The gate's durable journal (docs/contracts.md §1 and §9): one SQLite file in WAL mode with
/// `synchronous=FULL` (both read back and asserted at open), so a transaction that returned is on
/// disk before anything is actuated or acknowledged — also across a power cut.
///
/// - Identity: a `journalEpoch` (UUID) made when the file is created; `seq` from 1, gap-free, given
///   in the same transaction that stores the entry (the last seq is kept in `meta`, so pruning
///   never lets a seq be reused).
/// - `append` stores several drafts in one transaction (group commit; see `GroupCommitter`).
/// - The central store's `contiguousThrough` moves `ackedThrough`; `prune` deletes acknowledged
///   entries older than the retention period.
/// - A corrupt file, a foreign file or a full disk is reported at open as a `JournalError`; the
///   file is never reset.
/// - The watch list received from the central store is kept in the same file, for offline use.
public final class Journal: Sendable {
    public let path: String
    public let gate: String
    public let epoch: UUID
    let db: DatabaseQueue
    private let generator: UUIDv7Generator

    static let schemaVersion = "1"

    /// Opens (or creates) the journal at `path` for `gate`.
    /// - Parameter minimumFreeBytes: less free space than this on the file system is reported as
    ///   `diskFull` before anything is opened.
    /// - Parameter maximumBytes: caps the file's size (SQLite `max_page_count`); beyond it an
    ///   append fails as `diskFull`, so a runaway journal never fills the gate's disk. nil: no cap.
    public static func open(path: String, gate: String, minimumFreeBytes: UInt64 = 64 << 20, maximumBytes: UInt64? = nil,
                            generator: UUIDv7Generator = UUIDv7.shared) throws -> Journal {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
            catch { throw JournalError.io(path: path, detail: "cannot create \(directory): \(error)") }
        }
        let free = try freeBytes(directory.isEmpty ? "." : directory, path: path)
        if free < minimumFreeBytes {
            throw JournalError.diskFull(path: path, detail: "\(free) bytes free, at least \(minimumFreeBytes) required")
        }
        var config = Configuration()
        config.busyMode = .timeout(5)
        config.prepareDatabase { db in
            // GRDB's own WAL setting lowers synchronous to NORMAL; set both here, in this order.
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = FULL")
            if let maximumBytes {
                let pageSize = max(512, try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 4096)
                let pages = max(16, maximumBytes / UInt64(pageSize))
                try db.execute(sql: "PRAGMA max_page_count = \(pages)")
            }
        }
        let queue: DatabaseQueue
        do { queue = try DatabaseQueue(path: path, configuration: config) }
        catch { throw map(error, path: path) }
        do {
            let (epoch, storedGate) = try queue.writeWithoutTransaction { db -> (UUID, String) in
                try assertDurable(db, path: path)
                let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
                if tables.isEmpty {
                    // A new file (or one whose creation never committed: nothing can have been journaled).
                    try db.inTransaction(.immediate) {
                        try createSchema(db, gate: gate)
                        return .commit
                    }
                    return try readIdentity(db, path: path)
                }
                let check = try String.fetchAll(db, sql: "PRAGMA integrity_check")
                guard check == ["ok"] else {
                    throw JournalError.corrupt(path: path, detail: "integrity_check: \(check.prefix(3).joined(separator: "; "))")
                }
                guard Set(["meta", "entry", "watchlist"]).isSubset(of: Set(tables)) else {
                    throw JournalError.foreign(path: path, detail: "tables \(tables.sorted()) are not a journal's")
                }
                let identity = try readIdentity(db, path: path)
                try createRejectedTable(db)
                try createRemoteCommandTable(db)
                return identity
            }
            guard storedGate == gate else {
                throw JournalError.foreign(path: path, detail: "it belongs to gate \"\(storedGate)\", not \"\(gate)\"")
            }
            return Journal(path: path, gate: gate, epoch: epoch, db: queue, generator: generator)
        } catch {
            throw map(error, path: path)
        }
    }

    private init(path: String, gate: String, epoch: UUID, db: DatabaseQueue, generator: UUIDv7Generator) {
        self.path = path
        self.gate = gate
        self.epoch = epoch
        self.db = db
        self.generator = generator
    }

    // MARK: Writing

    /// Journals `drafts` in one transaction and returns their records (ids, seqs) once the
    /// commit has returned. Either all are journaled or none.
    public func append(_ drafts: [EntryDraft], journaledAt: Date = Date()) throws -> [EntryRecord] {
        guard !drafts.isEmpty else { return [] }
        do {
            return try db.write { db -> [EntryRecord] in
                var seq = try Self.metaInt(db, "lastSeq")
                var out: [EntryRecord] = []
                out.reserveCapacity(drafts.count)
                // Prepared once per connection, not per row (GRDB's `execute(sql:)` compiles each call).
                let insert = try db.cachedStatement(sql: "INSERT INTO entry (seq, id, journaledAt, record) VALUES (?, ?, ?, ?)")
                for d in drafts {
                    seq += 1
                    // Stored with millisecond precision (the wire format's); return exactly what is stored.
                    let occurredAt = Date(timeIntervalSince1970: (d.clock.wallClock.timeIntervalSince1970 * 1000).rounded(.down) / 1000)
                    let record = EntryRecord(id: generator.make(at: d.clock.wallClock), gate: gate, journalEpoch: epoch, seq: seq,
                                             occurredAt: occurredAt, clockSynced: d.clock.clockSynced,
                                             bootID: d.clock.bootID, monotonicNanos: d.clock.monotonicNanos, content: d.content)
                    let problems = record.violations()
                    guard problems.isEmpty else { throw JournalError.invalidRecord(problems) }
                    try insert.execute(arguments: [seq, record.id.uuidString.lowercased(), journaledAt.timeIntervalSince1970,
                                                   try EntryRecordJSON.encode(record)])
                    out.append(record)
                }
                try Self.setMeta(db, "lastSeq", String(seq))
                return out
            }
        } catch {
            throw Self.map(error, path: path)
        }
    }

    /// Records that the central store holds 1…`contiguousThrough` of `epoch`. Acknowledgement
    /// only moves forward, never past the last journaled seq; another epoch's is ignored.
    /// Returns the acknowledged seq after the update.
    @discardableResult
    public func acknowledge(epoch ackEpoch: UUID, contiguousThrough: Int64) throws -> Int64 {
        do {
            return try db.write { db -> Int64 in
                let current = try Self.metaInt(db, "ackedThrough")
                guard ackEpoch == epoch else { return current }
                let last = try Self.metaInt(db, "lastSeq")
                let next = max(current, min(contiguousThrough, last))
                if next != current { try Self.setMeta(db, "ackedThrough", String(next)) }
                return next
            }
        } catch {
            throw Self.map(error, path: path)
        }
    }

    /// Deletes acknowledged entries journaled before `cutoff` (never a rejected one); returns how many.
    @discardableResult
    public func prune(journaledBefore cutoff: Date) throws -> Int {
        do {
            return try db.write { db -> Int in
                let acked = try Self.metaInt(db, "ackedThrough")
                try db.execute(sql: "DELETE FROM entry WHERE seq <= ? AND journaledAt < ? AND seq NOT IN (SELECT seq FROM rejected)",
                               arguments: [acked, cutoff.timeIntervalSince1970])
                return db.changesCount
            }
        } catch {
            throw Self.map(error, path: path)
        }
    }

    /// Takes and releases the write lock without writing anything (`BEGIN IMMEDIATE; ROLLBACK`):
    /// returns once a commit could start now. A commit that never returns, or another writer holding
    /// the file, makes it wait (up to the 5 s busy timeout) and then throw. The watchdog's probe.
    public func probeWriteLock() throws {
        do { try db.writeWithoutTransaction { db in try db.inTransaction(.immediate) { .rollback } } }
        catch { throw Self.map(error, path: path) }
    }

    /// Marks `seq` as refused by the central store for good (`reason`: its answer). The record stays
    /// in the journal, is never resent and never pruned; `acknowledge` may move past it.
    public func markRejected(seq: Int64, reason: String, at date: Date = Date()) throws {
        do {
            try db.write { db in
                try db.execute(sql: "INSERT OR REPLACE INTO rejected (seq, rejectedAt, reason) VALUES (?, ?, ?)",
                               arguments: [seq, date.timeIntervalSince1970, String(reason.prefix(1_000))])
            }
        } catch {
            throw Self.map(error, path: path)
        }
    }

    /// Claims remote command `id` for execution, durably: true the first time, false if it was
    /// claimed before (a resend, or before a restart). Claimed before it is executed, so a crash in
    /// between loses the command rather than executing it twice.
    public func claimRemoteCommand(_ id: UUID, at date: Date = Date()) throws -> Bool {
        do {
            return try db.write { db in
                try db.execute(sql: "INSERT OR IGNORE INTO remote_command (id, claimedAt) VALUES (?, ?)",
                               arguments: [id.uuidString.lowercased(), date.timeIntervalSince1970])
                return db.changesCount == 1
            }
        } catch {
            throw Self.map(error, path: path)
        }
    }

    /// Every record the central store rejected, in seq order.
    public func rejected() throws -> [RejectedRecord] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT seq, rejectedAt, reason FROM rejected ORDER BY seq").map {
                RejectedRecord(seq: $0["seq"], rejectedAt: Date(timeIntervalSince1970: $0["rejectedAt"]), reason: $0["reason"])
            }
        }
    }

    // MARK: Reading

    /// Up to `limit` unacknowledged records after `seq` (default: after the acknowledged one), in seq
    /// order, leaving out the ones the central store rejected.
    public func pending(after seq: Int64? = nil, limit: Int) throws -> [EntryRecord] {
        try read { db in
            let from = try seq ?? Self.metaInt(db, "ackedThrough")
            let rows = try Data.fetchAll(db, sql: """
                SELECT record FROM entry WHERE seq > ? AND seq NOT IN (SELECT seq FROM rejected) ORDER BY seq LIMIT ?
                """,
                                         arguments: [from, limit])
            let decoder = CheckpointJSON.decoder()
            return try rows.map { try decoder.decode(EntryRecord.self, from: $0) }
        }
    }

    /// `pending(after:limit:)` as the journal holds the records (see `JournaledRecord`): for the
    /// uplink, which forwards them without decoding them.
    public func pendingJournaled(after seq: Int64? = nil, limit: Int) throws -> [JournaledRecord] {
        try read { db in
            let from = try seq ?? Self.metaInt(db, "ackedThrough")
            return try Row.fetchAll(db, sql: """
                SELECT seq, id, record FROM entry WHERE seq > ? AND seq NOT IN (SELECT seq FROM rejected) ORDER BY seq LIMIT ?
                """, arguments: [from, limit]).map { row in
                guard let id = UUID(uuidString: row["id"]) else {
                    throw JournalError.foreign(path: path, detail: "entry seq \(row["seq"] as Int64) has id \(row["id"] as String), not a UUID")
                }
                return JournaledRecord(seq: row["seq"], id: id, json: row["record"])
            }
        }
    }

    /// Records with seq in `range` that are still held.
    public func records(_ range: ClosedRange<Int64>) throws -> [EntryRecord] {
        try read { db in
            let rows = try Data.fetchAll(db, sql: "SELECT record FROM entry WHERE seq BETWEEN ? AND ? ORDER BY seq",
                                         arguments: [range.lowerBound, range.upperBound])
            let decoder = CheckpointJSON.decoder()
            return try rows.map { try decoder.decode(EntryRecord.self, from: $0) }
        }
    }

    /// The highest seq journaled and the highest acknowledged, from the journal's counters alone:
    /// constant time, for the uplink's per-batch bookkeeping (`state()` also counts the rows held,
    /// which takes time in proportion to them).
    public func sequenceCounters() throws -> (lastSeq: Int64, ackedThrough: Int64) {
        try read { db in (try Self.metaInt(db, "lastSeq"), try Self.metaInt(db, "ackedThrough")) }
    }

    public func state() throws -> JournalState {
        try read { db in try Self.state(db, path: path, gate: gate, epoch: epoch) }
    }

    static func state(_ db: Database, path: String, gate: String, epoch: UUID) throws -> JournalState {
        let acked = try metaInt(db, "ackedThrough")
        let oldest = try Double.fetchOne(db, sql: "SELECT journaledAt FROM entry WHERE seq > ? ORDER BY seq LIMIT 1", arguments: [acked])
        return JournalState(path: path, gate: gate, journalEpoch: epoch, lastSeq: try metaInt(db, "lastSeq"),
                            ackedThrough: acked, rows: try Int64.fetchOne(db, sql: "SELECT count(*) FROM entry") ?? 0,
                            oldestUnacknowledged: oldest.map { Date(timeIntervalSince1970: $0) },
                            watchListVersion: try metaInt(db, "watchListVersion"))
    }

    /// The durability settings as SQLite reports them now: (`journal_mode`, `synchronous`).
    public func durabilitySettings() throws -> (journalMode: String, synchronous: Int) {
        try read { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "", try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1)
        }
    }

    // MARK: Watch list

    /// The locally kept watch list and its version.
    public func watchList() throws -> (version: Int64, entries: [WatchListEntry]) {
        try read { db in
            let decoder = CheckpointJSON.decoder()
            let entries = try Data.fetchAll(db, sql: "SELECT entry FROM watchlist ORDER BY credential")
                .map { try decoder.decode(WatchListEntry.self, from: $0) }
            return (try Self.metaInt(db, "watchListVersion"), entries)
        }
    }

    /// Applies a delta from the central store durably (a `full` delta replaces the list; an older
    /// incremental one is ignored). Returns false if ignored.
    @discardableResult
    public func applyWatchList(_ delta: WatchListDelta) throws -> Bool {
        do {
            return try db.write { db -> Bool in
                let current = try Self.metaInt(db, "watchListVersion")
                if delta.full {
                    try db.execute(sql: "DELETE FROM watchlist")
                } else if delta.version < current {
                    return false
                }
                let encoder = CheckpointJSON.encoder()
                for r in delta.removals { try db.execute(sql: "DELETE FROM watchlist WHERE credential = ?", arguments: [r]) }
                for e in delta.upserts {
                    try db.execute(sql: "INSERT OR REPLACE INTO watchlist (credential, entry) VALUES (?, ?)",
                                   arguments: [e.credential, try encoder.encode(e)])
                }
                try Self.setMeta(db, "watchListVersion", String(delta.version))
                return true
            }
        } catch {
            throw Self.map(error, path: path)
        }
    }

    // MARK: Internals

    private func read<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try db.read(body) } catch { throw Self.map(error, path: path) }
    }

    private static func createSchema(_ db: Database, gate: String) throws {
        try db.execute(sql: """
            CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
            CREATE TABLE entry (seq INTEGER PRIMARY KEY NOT NULL, id TEXT NOT NULL UNIQUE,
                                journaledAt REAL NOT NULL, record BLOB NOT NULL);
            CREATE TABLE watchlist (credential TEXT PRIMARY KEY NOT NULL, entry BLOB NOT NULL);
            """)
        try createRejectedTable(db)
        try createRemoteCommandTable(db)
        let meta: [(String, String)] = [
            ("schemaVersion", schemaVersion), ("journalEpoch", UUID().uuidString.lowercased()), ("gate", gate),
            ("createdAt", CheckpointJSON.formatTimestamp(Date())), ("lastSeq", "0"), ("ackedThrough", "0"),
            ("watchListVersion", "0"),
        ]
        for (k, v) in meta { try setMeta(db, k, v) }
    }

    /// Records the central store refused for good (kept, never resent): added to files made before it.
    private static func createRejectedTable(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE IF NOT EXISTS rejected (seq INTEGER PRIMARY KEY NOT NULL, rejectedAt REAL NOT NULL, reason TEXT NOT NULL)
            """)
    }

    /// The remote commands the gate claimed (executes at most once each): added to files made before it.
    private static func createRemoteCommandTable(_ db: Database) throws {
        try db.execute(sql: "CREATE TABLE IF NOT EXISTS remote_command (id TEXT PRIMARY KEY NOT NULL, claimedAt REAL NOT NULL)")
    }

    static func readIdentity(_ db: Database, path: String) throws -> (UUID, String) {
        guard let e = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'journalEpoch'"), let epoch = UUID(uuidString: e),
              let gate = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'gate'") else {
            throw JournalError.foreign(path: path, detail: "meta has no journalEpoch or gate")
        }
        let version = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'schemaVersion'")
        guard version == schemaVersion else {
            throw JournalError.foreign(path: path, detail: "schema version \(version ?? "none"), expected \(schemaVersion)")
        }
        return (epoch, gate)
    }

    private static func assertDurable(_ db: Database, path: String) throws {
        let mode = try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? ""
        let sync = try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1
        guard mode.lowercased() == "wal" else { throw JournalError.notDurable(path: path, detail: "journal_mode is \(mode), not wal") }
        guard sync == 2 else { throw JournalError.notDurable(path: path, detail: "synchronous is \(sync), not 2 (FULL)") }
    }

    static func metaInt(_ db: Database, _ key: String) throws -> Int64 {
        guard let s = try String.fetchOne(db.cachedStatement(sql: "SELECT value FROM meta WHERE key = ?"), arguments: [key]),
              let v = Int64(s) else {
            throw JournalError.foreign(path: db.description, detail: "meta.\(key) missing or not a number")
        }
        return v
    }

    static func setMeta(_ db: Database, _ key: String, _ value: String) throws {
        try db.cachedStatement(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)").execute(arguments: [key, value])
    }

    static func freeBytes(_ directory: String, path: String) throws -> UInt64 {
        var s = statvfs()
        guard statvfs(directory, &s) == 0 else {
            throw JournalError.io(path: path, detail: "statvfs(\(directory)): \(String(cString: strerror(errno)))")
        }
        return UInt64(s.f_bavail) * UInt64(s.f_frsize)
    }

    /// Maps SQLite errors to the journal's reasons; `JournalError`s pass through.
    static func map(_ error: any Error, path: String) -> JournalError {
        if let e = error as? JournalError { return e }
        if let e = error as? DatabaseError {
            let detail = "\(e.resultCode): \(e.message ?? "")"
            switch e.resultCode {
            case .SQLITE_NOTADB, .SQLITE_CORRUPT: return .corrupt(path: path, detail: detail)
            case .SQLITE_FULL: return .diskFull(path: path, detail: detail)
            default: return .io(path: path, detail: detail)
            }
        }
        return .io(path: path, detail: "\(error)")
    }
}
