import ArgumentParser

struct ScannerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "scanner", abstract: "Configure a scanner through its own command set.")

    func run() async throws {
        throw NotBuiltYet(command: "scanner")
    }
}
