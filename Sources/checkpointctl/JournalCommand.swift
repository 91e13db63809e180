import ArgumentParser

struct JournalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "journal", abstract: "Show the gate's journal state.")

    func run() async throws {
        throw NotBuiltYet(command: "journal")
    }
}
