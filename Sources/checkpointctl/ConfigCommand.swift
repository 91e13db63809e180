import ArgumentParser

struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "config", abstract: "Validate or reload the configuration.")

    func run() async throws {
        throw NotBuiltYet(command: "config")
    }
}
