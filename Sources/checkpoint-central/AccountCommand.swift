import ArgumentParser
import CentralServer
import CentralStore
import CheckpointCore
import Foundation

/// `checkpoint-central account create|disable|list`: the people who sign in to the page.
/// The password is read from standard input (never argv) and kept only as a bcrypt hash.
struct AccountCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "account", abstract: "Create, disable and list accounts for the page.",
        subcommands: [Create.self, Disable.self, List.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an account; the password is the first line of standard input (10…72 bytes).")
        @OptionGroup var store: StoreOptions
        @OptionGroup var log: LogOptions
        @Option(name: .long, help: "The sign-in name (1…64 of A–Z a–z 0–9 . _ -).") var username: String
        @Option(name: .long, help: "The name shown on the page.") var displayName: String
        @Option(name: .long, help: "districtAdmin, streetOffice, community, checkpointStaff or auditor.") var role: String
        @Option(name: .long, help: "LEVEL:ID for streetOffice, community and checkpointStaff.") var scope: String?
        @Option(name: .long, help: "bcrypt cost (work factor 2^N), 4…31; lower only for throwaway test accounts.")
        var bcryptCost: UInt8 = 12

        func run() async throws {
            guard (4...31).contains(bcryptCost) else { throw ValidationError("--bcrypt-cost must be 4…31") }
            let (role, scope) = try AccessOptions.parse(role: role, scope: scope)
            guard let password = readLine(strippingNewline: true), PasswordHasher.lengths.contains(password.utf8.count) else {
                throw ValidationError("give the password (10…72 bytes) as the first line of standard input")
            }
            let logger = try log.bootstrap()
            let hash = try await PasswordHasher(cost: bcryptCost).hash(password)
            let account = Account(username: username, displayName: displayName, role: role, scope: scope, createdAt: Date())
            try await store.withAuditedStore(logger: logger, .accountChange, target: "account \(account.username)",
                                             detail: "created, role \(role.rawValue)") { storage in
                try await storage.createAccount(account, passwordHash: hash)
            }
            print("created \(account.username)")
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable an account; its sessions end at once.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var log: LogOptions
        @Option(name: .long) var username: String

        func run() async throws {
            let logger = try log.bootstrap()
            let username = self.username
            try await store.withAuditedStore(logger: logger, .accountChange, target: "account \(username)", detail: "disabled") { storage in
                try await storage.disableAccount(username: username, at: Date())
            }
            print("disabled \(username)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every account as JSON (never a password).")
        @OptionGroup var store: StoreOptions
        @OptionGroup var log: LogOptions

        func run() async throws {
            let logger = try log.bootstrap()
            let accounts = try await store.withStore(logger: logger) { storage in try await storage.accounts() }
            print(String(decoding: try CheckpointJSON.encoder().encode(accounts), as: UTF8.self))
        }
    }
}
