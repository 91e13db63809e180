import ArgumentParser
import CheckpointConfig
import CheckpointCore
import Control
import Foundation
import Journal

/// `checkpointctl journal`: the journal's state (seq, acknowledged, backlog) and the latest entries.
/// Asks the daemon over the control socket while it runs; otherwise reads the file read-only.
struct JournalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "journal",
        abstract: "Show the gate's journal: sequence, acknowledged, backlog, latest entries.")

    @Option(help: "The gate configuration (for [journal] path).")
    var config = "/etc/checkpoint/checkpoint.toml"

    @Option(help: "The journal file (overrides the configuration).")
    var journal: String?

    @Option(help: "How many of the latest entries to list.")
    var last = 10

    @Option(help: "The daemon's control socket.")
    var socket = ControlProtocol.defaultSocketPath

    @Flag(help: "Also run SQLite's integrity check (reading the file directly).")
    var check = false

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run() async throws {
        if !check, let client = try? ControlClient(path: socket) {
            let response = try client.send(ControlRequest(.journalStatus, arguments: ["last": String(last)]))
            guard response.ok else { throw ValidationError(response.error ?? "journal.status failed") }
            print(json ? (response.json ?? "{}") : response.output)
            return
        }
        let path = try journal ?? JournalConfiguration.parse(ConfigDocument(contentsOf: config).root).path
        let reader = try JournalReader(path: path)
        let state = try reader.state()
        let entries = try reader.latest(max(0, last))
        if json {
            struct Output: Encodable { var state: JournalState; var latest: [EntryRecord]; var integrity: [String]? }
            let out = Output(state: state, latest: entries, integrity: check ? try reader.integrityCheck() : nil)
            print(String(decoding: try CheckpointJSON.encoder().encode(out), as: UTF8.self))
            return
        }
        print("(daemon not reachable at \(socket): reading the file)")
        print(JournalText.summary(state))
        if check { print("integrity \(try reader.integrityCheck().joined(separator: "; "))") }
        for r in entries { print(JournalText.line(r)) }
    }
}
