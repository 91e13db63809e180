import CheckpointCore
import Foundation
import Logging

/// `CentralStorage` on SQL: one implementation of every rule, over either engine (`SQLDatabase`).
/// Open it with `CentralStorageFactory`.
public final class SQLCentralStorage: CentralStorage {
    let database: any SQLDatabase
    let logger: Logger
    private let operations = OperationGate()
    private let admission: WriteAdmission
    /// The durability settings as read back when the store opened (what `/healthz` reports without
    /// taking the writer's turn).
    public let durabilityAtOpen: [String: String]

    public var engine: StorageEngine { database.engine }

    /// - Parameter writeWaitLimit: how long a write waits for its turn before it is refused `.busy`.
    init(database: any SQLDatabase, logger: Logger, durabilityAtOpen: [String: String] = [:],
         writeWaitLimit: Duration = SQLCentralStorage.standardWriteWaitLimit) {
        self.database = database
        self.logger = logger
        self.durabilityAtOpen = durabilityAtOpen
        self.admission = WriteAdmission(capacity: database.writeCapacity, waitLimit: writeWaitLimit)
    }

    /// Half a gate's 10 s request timeout: a refused gate hears it while it still listens.
    public static let standardWriteWaitLimit: Duration = .seconds(5)

    /// Opens an engine's database and applies the migrations.
    static func open(_ database: any SQLDatabase, logger: Logger, at now: Date = Date(),
                     writeWaitLimit: Duration = SQLCentralStorage.standardWriteWaitLimit) async throws -> SQLCentralStorage {
        let durability: [String: String]
        do {
            let version = try await StorageMigrations.migrate(database, at: now)
            durability = try await database.durabilitySettings()
            logger.info("central store open", metadata: ["engine": "\(database.engine.rawValue)", "schema": "\(version)"])
        } catch {
            await database.close()
            throw Self.storeError(error)
        }
        return SQLCentralStorage(database: database, logger: logger, durabilityAtOpen: durability, writeWaitLimit: writeWaitLimit)
    }

    public func schemaVersion() async throws -> Int {
        try await read { session in
            Int(try await session.query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").first?.int(0) ?? 0)
        }
    }

    /// Whether this connection to the engine is encrypted, as the engine sees it: PostgreSQL's
    /// `pg_stat_ssl` for the serving backend; nil for SQLite (no connection).
    public func connectionEncrypted() async throws -> Bool? {
        guard engine == .postgres else { return nil }
        return try await read { session in
            try await session.query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").first?.bool(0)
        }
    }

    public func durabilitySettings() async throws -> [String: String] {
        try await guarded { try await self.database.durabilitySettings() }
    }

    /// Waits for operations in flight (an ingest batch completes or rolls back), then releases the
    /// connections. Later calls fail with `.engine("the store is closed")`.
    public func close() async {
        await admission.refuseAll()
        if await operations.closeAndDrain() {
            await database.close()
        }
    }

    // MARK: Plumbing

    /// A write transaction, once `WriteAdmission` gives it a turn (`.busy` if none comes in time);
    /// errors other than `CentralStoreError` become `.engine`.
    func write<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) async throws -> T) async throws -> T {
        try await guarded {
            try await self.admission.enter()
            do {
                let result = try await self.database.transaction(body)
                await self.admission.leave()
                return result
            } catch {
                await self.admission.leave()
                throw error
            }
        }
    }

    /// Writes waiting for their turn now.
    public func writesWaiting() async -> Int { await admission.waiting }

    func read<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) async throws -> T) async throws -> T {
        try await guarded { try await self.database.reading(body) }
    }

    /// Runs one operation unless the store is closing, counted so that `close` waits for it.
    private func guarded<T: Sendable>(_ operation: @Sendable () async throws -> T) async throws -> T {
        guard await operations.enter() else { throw CentralStoreError.engine("the store is closed") }
        do {
            let result = try await operation()
            await operations.leave()
            return result
        } catch {
            await operations.leave()
            throw Self.storeError(error)
        }
    }

    static func storeError(_ error: any Error) -> any Error {
        if error is CentralStoreError || error is ConflictFound { return error }
        if let decoding = error as? SQLDecodingError { return CentralStoreError.engine("unexpected column value: \(decoding)") }
        return CentralStoreError.engine(EngineError.describe(error))
    }

    /// `INSERT INTO table (columns) VALUES (…), (…) suffix`, as few statements as the engine's bind
    /// limit allows.
    func insertRows(_ session: any SQLSession, table: String, columns: [String], rows: [[SQLValue]],
                    suffix: String = "") async throws {
        guard !rows.isEmpty else { return }
        let perStatement = max(1, database.maxBindings / max(1, columns.count))
        let tuple = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        var start = 0
        while start < rows.count {
            let chunk = rows[start..<min(rows.count, start + perStatement)]
            let sql = "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES "
                + Array(repeating: tuple, count: chunk.count).joined(separator: ", ") + (suffix.isEmpty ? "" : " " + suffix)
            try await session.execute(sql, chunk.flatMap { $0 })
            start += chunk.count
        }
    }

    /// `?, ?, …` for `count` values.
    static func placeholders(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ", ")
    }

    static func clamp(_ limit: Int, _ maximum: Int) -> Int { min(max(limit, 1), maximum) }

    static func json<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try CheckpointJSON.encoder().encode(value), as: UTF8.self)
    }

    static func decodeJSON<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        do {
            return try CheckpointJSON.decoder().decode(type, from: Data(text.utf8))
        } catch {
            throw CentralStoreError.engine("stored JSON of \(T.self) does not decode: \(error)")
        }
    }
}

/// Thrown inside an ingest transaction to roll it back; turned into `CentralStoreError.conflict`
/// after the conflict alerts are persisted.
struct ConflictFound: Error {
    let conflicts: [(conflict: SequenceConflict, presented: EntryRecord)]
}
