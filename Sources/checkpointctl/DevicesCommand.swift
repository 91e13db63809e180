import ArgumentParser

struct DevicesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "devices", abstract: "List the devices discovery sees and the catalog model each matched.")

    func run() async throws {
        throw NotBuiltYet(command: "devices")
    }
}
