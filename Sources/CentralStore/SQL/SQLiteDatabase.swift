import Foundation
import GRDB

/// The SQLite engine (GRDB `DatabasePool`): WAL, `synchronous=FULL`, both read back and asserted at
/// open. Write transactions run on GRDB's single writer connection, one at a time (`WriterTurn`),
/// as `BEGIN IMMEDIATE … COMMIT`; reads run concurrently on reader connections.
final class SQLiteDatabase: SQLDatabase {
    let engine = StorageEngine.sqlite
    /// SQLite's default SQLITE_MAX_VARIABLE_NUMBER is 32,766 (since 3.32).
    let maxBindings = 30_000
    let writeCapacity = 1
    private let pool: DatabasePool
    private let turn = WriterTurn()

    init(path: String) throws {
        var config = Configuration()
        config.foreignKeysEnabled = true
        // Statements of one transaction are separate writer accesses, serialised by `turn`.
        config.allowsUnsafeTransactions = true
        config.busyMode = .timeout(10)
        do {
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            pool = try DatabasePool(path: path, configuration: config)
            // GRDB opens pools in WAL with synchronous=NORMAL; only the writer's setting matters.
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        } catch {
            throw CentralStoreError.engine("cannot open SQLite database at \(path): \(error)")
        }
        let (journalMode, synchronous) = try pool.writeWithoutTransaction { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "", try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1)
        }
        guard journalMode.lowercased() == "wal" else {
            throw CentralStoreError.durability("SQLite journal_mode is \(journalMode), expected wal")
        }
        guard synchronous == 2 else {
            throw CentralStoreError.durability("SQLite synchronous is \(synchronous), expected 2 (FULL)")
        }
    }

    func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) async throws -> T) async throws -> T {
        let pool = self.pool
        let turn = self.turn
        // Unstructured, so not cancelled with the caller: a cancelled request must not stop a
        // transaction half-way (GRDB's async accesses throw CancellationError when cancelled).
        return try await Task {
            await turn.acquire()
            do {
                let result = try await Self.runTransaction(pool, body)
                await turn.release()
                return result
            } catch {
                await turn.release()
                throw error
            }
        }.value
    }

    private static func runTransaction<T: Sendable>(_ pool: DatabasePool,
                                                    _ body: @Sendable (any SQLSession) async throws -> T) async throws -> T {
        try run(pool) { db in try db.execute(sql: "BEGIN IMMEDIATE") }
        do {
            let result = try await body(SQLiteSession(pool: pool, writer: true))
            try run(pool) { db in try db.execute(sql: "COMMIT") }
            return result
        } catch {
            try? run(pool) { db in if db.isInsideTransaction { try db.execute(sql: "ROLLBACK") } }
            throw error
        }
    }

    /// A synchronous writer access (used for BEGIN / COMMIT / ROLLBACK, which must not be cancelled).
    private static func run(_ pool: DatabasePool, _ body: (Database) throws -> Void) throws {
        try pool.writeWithoutTransaction { db in try body(db) }
    }

    func reading<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) async throws -> T) async throws -> T {
        try await body(SQLiteSession(pool: pool, writer: false))
    }

    func durabilitySettings() async throws -> [String: String] {
        // On the writer connection (whose settings matter), in turn with the transactions.
        try await transaction { session in
            let journalMode = try await session.query("PRAGMA journal_mode").first?.text(0) ?? ""
            let synchronous = try await session.query("PRAGMA synchronous").first?.int(0) ?? -1
            return ["journal_mode": journalMode, "synchronous": String(synchronous)]
        }
    }

    func close() async {
        try? pool.close()
    }
}

/// Statements of one SQLite transaction (writer) or of a read (readers).
struct SQLiteSession: SQLSession {
    let pool: DatabasePool
    let writer: Bool

    func execute(_ sql: String, _ arguments: [SQLValue]) async throws {
        let args = StatementArguments(arguments.map(Self.databaseValue))
        if writer {
            try await pool.writeWithoutTransaction { db in try Self.statement(db, sql).execute(arguments: args) }
        } else {
            try await pool.read { db in try Self.statement(db, sql).execute(arguments: args) }
        }
    }

    func query(_ sql: String, _ arguments: [SQLValue]) async throws -> [SQLRow] {
        let args = StatementArguments(arguments.map(Self.databaseValue))
        let fetch: @Sendable (Database) throws -> [SQLRow] = { db in
            try Row.fetchAll(Self.statement(db, sql), arguments: args).map { row in
                SQLRow(values: (0..<row.count).map { Self.sqlValue(row[$0] as DatabaseValue) })
            }
        }
        if writer {
            return try await pool.writeWithoutTransaction(fetch)
        }
        return try await pool.read(fetch)
    }

    /// Small statements are prepared once per connection; multi-row inserts (many sizes, thousands
    /// of parameters) are prepared each time, so the statement cache stays small.
    private static func statement(_ db: Database, _ sql: String) throws -> Statement {
        sql.utf8.count < 4_096 ? try db.cachedStatement(sql: sql) : try db.makeStatement(sql: sql)
    }

    static func databaseValue(_ value: SQLValue) -> DatabaseValue {
        switch value {
        case .null: return .null
        case .int(let v): return v.databaseValue
        case .double(let d): return d.databaseValue
        case .text(let s): return s.databaseValue
        case .bool(let b): return (b ? Int64(1) : Int64(0)).databaseValue
        case .uuid(let u): return u.uuidString.lowercased().databaseValue
        }
    }

    static func sqlValue(_ value: DatabaseValue) -> SQLValue {
        switch value.storage {
        case .null: return .null
        case .int64(let v): return .int(v)
        case .double(let d): return .double(d)
        case .string(let s): return .text(s)
        case .blob(let data): return .text(String(decoding: data, as: UTF8.self))
        }
    }
}
