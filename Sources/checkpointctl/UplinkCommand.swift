import ArgumentParser

struct UplinkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "uplink", abstract: "Show the uplink's state (backlog, last contact).")

    func run() async throws {
        throw NotBuiltYet(command: "uplink")
    }
}
