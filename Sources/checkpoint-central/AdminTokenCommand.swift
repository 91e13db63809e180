import ArgumentParser
import CentralServer
import CentralStore
import CheckpointCore
import Foundation

/// `checkpoint-central admin-token create|revoke|list`: administrator tokens kept (hashed) in the store.
struct AdminTokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin-token", abstract: "Create, revoke and list administrator tokens.",
        subcommands: [Create.self, Revoke.self, List.self, Digest.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an admin token and print it once.",
            discussion: "Prints the token on standard output; it cannot be shown again.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var log: LogOptions
        @Option(name: .long, help: "A unique label (e.g. the clerk or tool using it).") var label: String
        @Option(name: .long, help: "districtAdmin (default), streetOffice, community, checkpointStaff or auditor.")
        var role: String = Role.districtAdmin.rawValue
        @Option(name: .long, help: "LEVEL:ID for streetOffice (street:ID), community (community:ID), checkpointStaff (checkpoint:ID).")
        var scope: String?

        func run() async throws {
            let (role, scope) = try AccessOptions.parse(role: role, scope: scope)
            let logger = try log.bootstrap()
            let label = self.label
            let issued = try await store.withAuditedStore(logger: logger, .tokenChange, target: "token \(label)",
                                                          detail: "created, role \(role.rawValue)") { storage in
                try await storage.createAdminToken(label: label, role: role, scope: scope, at: Date())
            }
            print(issued.secret)
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke the admin token with this label.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var log: LogOptions
        @Option(name: .long) var label: String

        func run() async throws {
            let logger = try log.bootstrap()
            try await store.withAuditedStore(logger: logger, .tokenChange, target: "token \(label)", detail: "revoked") { storage in
                try await storage.revokeAdminToken(label: label, at: Date())
            }
            print("revoked \(label)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List admin tokens (labels and dates, never the tokens).")
        @OptionGroup var store: StoreOptions
        @OptionGroup var log: LogOptions

        func run() async throws {
            let logger = try log.bootstrap()
            let tokens = try await store.withStore(logger: logger) { storage in try await storage.adminTokens() }
            for token in tokens {
                let revoked = token.revokedAt.map { " revoked " + CheckpointJSON.formatTimestamp($0) } ?? ""
                print("\(token.label)\tcreated \(CheckpointJSON.formatTimestamp(token.createdAt))\(revoked)")
            }
        }
    }

    struct Digest: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read a token on standard input and print its `sha256:<hex>` line for --admin-token-file.")

        func run() throws {
            guard let token = readLine(strippingNewline: true)?.trimmingCharacters(in: .whitespaces), token.count >= 16 else {
                throw CommandFailure("expected a token of at least 16 characters on standard input")
            }
            print(AdminTokens.fileLine(for: token))
        }
    }
}
