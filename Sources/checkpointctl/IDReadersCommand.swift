import ArgumentParser
import Control

/// `checkpointctl idreaders`: the ID card readers the running daemon has attached, with their
/// state (ready, fault, unresponsive, disconnected) and counters; never card content.
struct IDReadersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "idreaders",
        abstract: "Show the daemon's ID card readers: state, cards read, interruptions, rejections by reason.")

    @Option(help: "The daemon's control socket.")
    var socket = ControlProtocol.defaultSocketPath

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run() async throws {
        try GateCommand.send(ControlRequest(.idReadersStatus), socket: socket, json: json)
    }
}
