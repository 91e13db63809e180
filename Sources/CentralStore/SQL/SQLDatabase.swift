import Foundation

/// Runs SQL within one transaction or one read. SQL is written with `?` placeholders; the engine
/// rewrites them as it needs.
protocol SQLSession: Sendable {
    /// Runs a statement and discards any rows.
    func execute(_ sql: String, _ arguments: [SQLValue]) async throws
    /// Runs a statement and returns its rows.
    func query(_ sql: String, _ arguments: [SQLValue]) async throws -> [SQLRow]
}

extension SQLSession {
    func execute(_ sql: String) async throws { try await execute(sql, []) }
    func query(_ sql: String) async throws -> [SQLRow] { try await query(sql, []) }
}

/// One engine's connection(s): the only place where SQLite and PostgreSQL differ at run time.
protocol SQLDatabase: Sendable {
    var engine: StorageEngine { get }
    /// The most bind parameters one statement may carry on this engine (with a margin).
    var maxBindings: Int { get }
    /// Write transactions that can usefully run at once (SQLite: its one writer; PostgreSQL: most
    /// of the pool, leaving connections for reads).
    var writeCapacity: Int { get }
    /// Runs `body` in one write transaction: committed if it returns, rolled back if it throws.
    /// Ingests of one gate are serialised by the lock on the gate's row (`claimGateForIngest`).
    func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) async throws -> T) async throws -> T
    /// Runs `body` for reading (no transaction guarantees across statements).
    func reading<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) async throws -> T) async throws -> T
    /// Engine settings that make commits durable, by name (read back from the engine).
    func durabilitySettings() async throws -> [String: String]
    func close() async
}
