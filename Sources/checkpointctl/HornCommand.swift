import ArgumentParser

struct HornCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "horn", abstract: "Play, stop and list announcements; test the amplifier.")

    func run() async throws {
        throw NotBuiltYet(command: "horn")
    }
}
