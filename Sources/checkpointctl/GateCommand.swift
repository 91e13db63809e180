import ArgumentParser
import CheckpointCore
import Control
import Foundation

/// `checkpointctl gate`: the person on duty's commands. A manual entry is decided, journaled and
/// forwarded like any other entry, so it needs the running daemon (which owns the journal).
struct GateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gate",
        abstract: "Record a manual entry or open the gate by hand; show the gate's decision counters.",
        subcommands: [Manual.self, Host.self, Status.self])

    struct Manual: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record an entry by hand (a person without a scannable code), or --open the gate by hand.")

        @Option(help: "The lane id from the configuration.")
        var lane: String

        @Option(name: .customLong("recorded-by"), help: "Who records it (the person on duty).")
        var recordedBy: String

        @Option(help: "admit, refuse or refer.")
        var decision: String = "admit"

        @Option(help: "What the person showed instead of a code (e.g. an ID number), recorded as the credential.")
        var shown: String?

        @Option(help: "The temperature measured by hand, °C (body).")
        var celsius: Double?

        @Flag(help: "The gate was opened by hand (reason manualOpen).")
        var open = false

        @Option(help: "The daemon's control socket.")
        var socket = ControlProtocol.defaultSocketPath

        @Flag(help: "Print the journaled record as JSON.")
        var json = false

        func validate() throws {
            guard ["admit", "refuse", "refer"].contains(decision) else { throw ValidationError("--decision must be admit, refuse or refer") }
            guard !recordedBy.isEmpty, recordedBy.utf8.count <= FieldLimits.maxRecordedByBytes else {
                throw ValidationError("--recorded-by must be 1…\(FieldLimits.maxRecordedByBytes) bytes")
            }
            if let celsius, !FieldLimits.celsiusWireRange.contains(celsius) { throw ValidationError("--celsius out of range") }
        }

        func run() async throws {
            var arguments = ["lane": lane, "recordedBy": recordedBy, "decision": decision]
            if let shown { arguments["shown"] = shown }
            if let celsius { arguments["celsius"] = String(celsius) }
            if open { arguments["open"] = "true" }
            try GateCommand.send(ControlRequest(.gateManual, arguments: arguments), socket: socket, json: json)
        }
    }

    struct Host: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Whom the next visitor registered at a lane visits (recorded with their ID card's registration).")

        @Option(help: "The lane id from the configuration (a lane with registration = true).")
        var lane: String

        @Option(help: "The host, e.g. a name and a flat number.")
        var host: String

        @Option(help: "The daemon's control socket.")
        var socket = ControlProtocol.defaultSocketPath

        func run() async throws {
            try GateCommand.send(ControlRequest(.gateHost, arguments: ["lane": lane, "host": host]), socket: socket, json: false)
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Decisions, journal failures, ignored events, watch-list version.")

        @Option(help: "The daemon's control socket.")
        var socket = ControlProtocol.defaultSocketPath

        @Flag(help: "Print JSON instead of text.")
        var json = false

        func run() async throws {
            try GateCommand.send(ControlRequest(.gateStatus), socket: socket, json: json)
        }
    }

    static func send(_ request: ControlRequest, socket: String, json: Bool) throws {
        let client: ControlClient
        do { client = try ControlClient(path: socket) } catch {
            throw ValidationError("\(error): manual entries are journaled by the running daemon")
        }
        let response = try client.send(request)
        guard response.ok else { throw ValidationError(response.error ?? "\(request.command) failed") }
        print(json ? (response.json ?? "{}") : response.output)
    }
}
