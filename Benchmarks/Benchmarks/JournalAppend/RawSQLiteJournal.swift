// The journal's reference: the same rows written through the SQLite C API alone, with the journal's
// pragmas (WAL, synchronous=FULL) and schema (`entry` + `meta`), and the same statements per
// transaction (read lastSeq, one INSERT per row, write lastSeq). What the journal adds on top —
// building and checking records, JSON encoding, GRDB — is the difference between the two.
import CheckpointCore
import Foundation
import GRDBSQLite
import Journal

/// One row as the journal stores it: the record's JSON is encoded once, before measuring.
struct RawJournalRow {
    let id: String
    let record: [UInt8]

    init(_ draft: EntryDraft, gate: String) {
        let record = EntryRecord(gate: gate, journalEpoch: UUID(), seq: 0, occurredAt: draft.clock.wallClock,
                                 clockSynced: draft.clock.clockSynced, bootID: draft.clock.bootID,
                                 monotonicNanos: draft.clock.monotonicNanos, content: draft.content)
        id = record.id.uuidString.lowercased()
        self.record = Array((try? CheckpointJSON.encoder().encode(record)) ?? Data())
    }
}

enum RawSQLiteError: Error, CustomStringConvertible {
    case sqlite(code: Int32, message: String)
    var description: String {
        switch self { case .sqlite(let code, let message): return "SQLite error \(code): \(message)" }
    }
}

/// A SQLite file driven through the C API with prepared statements kept for the file's lifetime.
final class RawSQLiteJournal {
    private var db: OpaquePointer?
    private var readSeq: OpaquePointer?
    private var insert: OpaquePointer?
    private var writeSeq: OpaquePointer?

    init(path: String) throws {
        try check(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil))
        try exec("PRAGMA journal_mode = WAL")
        try exec("PRAGMA synchronous = FULL")
        try exec("""
            CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
            CREATE TABLE entry (seq INTEGER PRIMARY KEY NOT NULL, id TEXT NOT NULL UNIQUE,
                                journaledAt REAL NOT NULL, record BLOB NOT NULL);
            INSERT INTO meta (key, value) VALUES ('lastSeq', '0');
            """)
        readSeq = try prepare("SELECT value FROM meta WHERE key = 'lastSeq'")
        insert = try prepare("INSERT INTO entry (seq, id, journaledAt, record) VALUES (?, ?, ?, ?)")
        writeSeq = try prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('lastSeq', ?)")
    }

    deinit {
        for statement in [readSeq, insert, writeSeq] { sqlite3_finalize(statement) }
        sqlite3_close_v2(db)
    }

    /// Writes `rows` in one transaction (committed, so fsynced, when this returns) and returns the
    /// last seq. The ids are made unique per call by the seq they get.
    @discardableResult
    func append(_ rows: [RawJournalRow], journaledAt: Double) throws -> Int64 {
        try exec("BEGIN IMMEDIATE")
        do {
            guard sqlite3_step(readSeq) == SQLITE_ROW else { throw error() }
            var seq = Int64(String(cString: sqlite3_column_text(readSeq, 0))) ?? 0
            sqlite3_reset(readSeq)
            for row in rows {
                seq += 1
                sqlite3_bind_int64(insert, 1, seq)
                let id = "\(row.id.dropLast(12))\(String(seq, radix: 16).leftPadded(to: 12))"
                sqlite3_bind_text(insert, 2, id, -1, transient)
                sqlite3_bind_double(insert, 3, journaledAt)
                _ = row.record.withUnsafeBytes { sqlite3_bind_blob(insert, 4, $0.baseAddress, Int32($0.count), transient) }
                guard sqlite3_step(insert) == SQLITE_DONE else { throw error() }
                sqlite3_reset(insert)
            }
            sqlite3_bind_text(writeSeq, 1, String(seq), -1, transient)
            guard sqlite3_step(writeSeq) == SQLITE_DONE else { throw error() }
            sqlite3_reset(writeSeq)
            try exec("COMMIT")
            return seq
        } catch {
            sqlite3_reset(readSeq); sqlite3_reset(insert); sqlite3_reset(writeSeq)
            try? exec("ROLLBACK")
            throw error
        }
    }

    private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    private func exec(_ sql: String) throws { try check(sqlite3_exec(db, sql, nil, nil, nil)) }

    private func prepare(_ sql: String) throws -> OpaquePointer? {
        var statement: OpaquePointer?
        try check(sqlite3_prepare_v2(db, sql, -1, &statement, nil))
        return statement
    }

    private func check(_ code: Int32) throws { if code != SQLITE_OK { throw error(code) } }

    private func error(_ code: Int32? = nil) -> RawSQLiteError {
        .sqlite(code: code ?? sqlite3_errcode(db), message: String(cString: sqlite3_errmsg(db)))
    }
}

private extension String {
    func leftPadded(to length: Int) -> String { String(repeating: "0", count: max(0, length - count)) + self }
}
