import ArgumentParser
import CheckpointConfig
import CheckpointCore
import Control
import Foundation
import Journal

/// `checkpointctl uplink`: last contact with the central store, last error, conflict, backlog and
/// watch-list version — live from the daemon; without it, the backlog as the journal file says.
struct UplinkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "uplink",
        abstract: "Show the uplink's state: last contact, errors, backlog, watch list.")

    @Option(help: "The gate configuration (for [journal] path and [central] url).")
    var config = "/etc/checkpoint/checkpoint.toml"

    @Option(help: "The daemon's control socket.")
    var socket = ControlProtocol.defaultSocketPath

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run() async throws {
        if let client = try? ControlClient(path: socket) {
            let response = try client.send(ControlRequest(.uplinkStatus))
            guard response.ok else { throw ValidationError(response.error ?? "uplink.status failed") }
            print(json ? (response.json ?? "{}") : response.output)
            return
        }
        let root = try ConfigDocument(contentsOf: config).root
        let central = try CentralConfiguration.parse(root)
        let state = try JournalReader(path: try JournalConfiguration.parse(root).path).state()
        if json {
            print(String(decoding: try CheckpointJSON.encoder().encode(state), as: UTF8.self))
            return
        }
        print("daemon not reachable at \(socket): no live uplink state")
        print("central   \(central?.url ?? "(none configured: offline gate)")")
        print("backlog   \(state.backlog) (last seq \(state.lastSeq), acknowledged through \(state.ackedThrough))")
        if let oldest = state.oldestUnacknowledged {
            print("oldest unacknowledged entry journaled at \(CheckpointJSON.formatTimestamp(oldest))")
        }
    }
}
