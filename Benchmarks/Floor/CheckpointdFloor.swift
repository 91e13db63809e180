import ArgumentParser
import Foundation
import GRDB
import Logging
import ServiceLifecycle

/// The floor of the idle-gate benchmark (Benchmarks/system/idle.py): a release binary linking every
/// library `checkpointd` links (Package.swift gives both the same dependency list) that starts what
/// `checkpointd` starts of them when idle and offline — argument parsing, the log to stderr, an
/// SQLite file in WAL with `synchronous=FULL` opened through GRDB, a `ServiceGroup` waiting for
/// SIGTERM/SIGINT on Swift concurrency's threads — and then does nothing until it is stopped.
/// checkpoint's own work (the device loop, the gate, the journal's schema) is what the benchmark
/// measures above this floor.
@main
struct CheckpointdFloor: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpointd-floor",
        abstract: "Start checkpointd's libraries as checkpointd does when idle, then sleep until SIGTERM/SIGINT.")

    @Option(name: .long, help: "The SQLite file to open (created if absent).")
    var journal: String

    func run() async throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .info
            return handler
        }
        let logger = Logger(label: "checkpointd-floor")
        var config = Configuration()
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        let db = try DatabaseQueue(path: journal, configuration: config)
        let mode = try await db.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") } ?? "?"
        logger.info("idle: \(journal) open (\(mode))")
        let group = ServiceGroup(services: [Idle()], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        try await group.run()
        logger.info("stopped")
    }
}

/// Waits for the graceful shutdown and does nothing else.
struct Idle: Service {
    func run() async throws {
        try? await gracefulShutdown()
    }
}
