import ArgumentParser
import CentralStore
import Foundation
import Logging

/// `--db` (or `CHECKPOINT_CENTRAL_DB`) and opening the store it names.
struct StoreOptions: ParsableArguments {
    static let environmentVariable = "CHECKPOINT_CENTRAL_DB"

    @Option(name: .long, help: "sqlite:PATH or postgres://USER@HOST:PORT/DB (default: $CHECKPOINT_CENTRAL_DB).")
    var db: String?

    @Option(name: .long, help: "Refuse a write (HTTP 503 busy, Retry-After) that waited this many ms for its turn; below the gates' 10 s request timeout.")
    var writeWaitMs: Int = 5_000

    func location() throws -> String {
        if let db, !db.isEmpty { return db }
        if let env = ProcessInfo.processInfo.environment[Self.environmentVariable], !env.isEmpty { return env }
        throw ValidationError("no database: give --db sqlite:PATH|postgres://… or set \(Self.environmentVariable)")
    }

    func open(logger: Logger) async throws -> any CentralStorage {
        guard writeWaitMs > 0 else { throw ValidationError("--write-wait-ms must be positive, not \(writeWaitMs)") }
        return try await CentralStorageFactory.open(try location(), logger: logger, writeWaitLimit: .milliseconds(writeWaitMs))
    }

    /// Opens the store, runs `body`, closes the store (also when `body` throws).
    func withStore<T>(logger: Logger, _ body: (any CentralStorage) async throws -> T) async throws -> T {
        let store = try await open(logger: logger)
        do {
            let result = try await body(store)
            await store.close()
            return result
        } catch {
            await store.close()
            throw error
        }
    }

    /// Like `withStore`, then appends one audit event (actor `cli`) for what `body` did.
    func withAuditedStore<T>(logger: Logger, _ action: AuditAction, target: String, detail: String,
                             _ body: (any CentralStorage) async throws -> T) async throws -> T {
        try await withStore(logger: logger) { storage in
            let result = try await body(storage)
            try await storage.appendAudit(AuditEvent(at: Date(), actor: "cli", action: action, target: target, detail: detail))
            return result
        }
    }
}

/// Errors a command reports on standard error with exit status 1 (no stack trace, no crash).
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
