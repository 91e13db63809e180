import ArgumentParser
import CentralServer
import CentralStore
import CheckpointCore
import Foundation

/// `checkpoint-central gate register|rotate-secret|revoke|list`: gates and their secrets, directly on
/// the database. Issuing a secret is recorded in the audit log (actor `cli`).
struct GateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gate", abstract: "Register, rotate secrets of, revoke and list gates.",
        subcommands: [Register.self, RotateSecret.self, Revoke.self, List.self])

    struct Register: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register a new gate and print its credential once (a registered gate: use rotate-secret).",
            discussion: "Prints `<gate>:<secret>` on standard output: put it in the gate's secrets file. It cannot be shown again.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var log: LogOptions
        @Option(name: .long, help: "The gate's identifier.") var id: String
        @Option(name: .long, help: "The checkpoint it belongs to (must exist: `places import` first).") var checkpoint: String

        func run() async throws {
            guard FieldLimits.isValidIdentifier(id) else { throw ValidationError("--id must be 1…64 of A–Z a–z 0–9 . _ -") }
            let logger = try log.bootstrap()
            let issued = try await store.withAuditedStore(logger: logger, .secretIssue, target: "gate \(id)",
                                                          detail: "registered under checkpoint \(checkpoint)") { storage in
                try await storage.registerGate(id, checkpoint: checkpoint, at: Date())
            }
            print(RegisteredGate(gate: issued.subject, checkpoint: checkpoint, secret: issued.secret).credential)
        }
    }

    struct RotateSecret: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate-secret",
            abstract: "Issue a new secret for a registered gate (the old one stops working; a revocation is lifted).",
            discussion: "Prints `<gate>:<secret>` once.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var log: LogOptions
        @Option(name: .long, help: "The gate's identifier.") var id: String

        func run() async throws {
            let logger = try log.bootstrap()
            let issued = try await store.withAuditedStore(logger: logger, .secretIssue, target: "gate \(id)", detail: "secret rotated") {
                try await $0.rotateGateSecret(id, at: Date())
            }
            print("\(issued.subject):\(issued.secret)")
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a gate's secret (its records stay).")
        @OptionGroup var store: StoreOptions
        @OptionGroup var log: LogOptions
        @Option(name: .long, help: "The gate's identifier.") var id: String

        func run() async throws {
            let logger = try log.bootstrap()
            try await store.withStore(logger: logger) { storage in try await storage.revokeGate(id, at: Date()) }
            print("revoked \(id)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List gates with their health as JSON.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var log: LogOptions

        func run() async throws {
            let logger = try log.bootstrap()
            let list = try await store.withStore(logger: logger) { storage in
                try await GateList.collect(from: storage, scope: nil)
            }
            let encoder = CheckpointJSON.encoder()
            encoder.outputFormatting.insert(.prettyPrinted)
            print(String(decoding: try encoder.encode(list), as: UTF8.self))
        }
    }
}
