import ArgumentParser

struct ProbeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "probe", abstract: "Take one reading or scan from a device.")

    func run() async throws {
        throw NotBuiltYet(command: "probe")
    }
}
