import ArgumentParser
import Control

/// `checkpointctl thermometers`: the thermometers the running daemon has attached, with their
/// last reading and counters (readings, rejections by reason, timeouts, disconnects, reconnects).
struct ThermometersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "thermometers",
        abstract: "Show the daemon's attached thermometers: last reading, rejections by reason, timeouts, reconnects.")

    @Option(help: "The daemon's control socket.")
    var socket = ControlProtocol.defaultSocketPath

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run() async throws {
        let client: ControlClient
        do { client = try ControlClient(path: socket) } catch {
            throw ValidationError("\(error): the counters live in the daemon (use `checkpointctl probe` without it)")
        }
        let response = try client.send(ControlRequest(.thermometersStatus))
        guard response.ok else { throw ValidationError(response.error ?? "thermometers.status failed") }
        print(json ? (response.json ?? "[]") : response.output)
    }
}
