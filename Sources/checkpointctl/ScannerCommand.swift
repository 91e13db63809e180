import ArgumentParser
import CheckpointCore
import Control
import DeviceIO
import DeviceRuntime
import Foundation
import Scanners

/// `checkpointctl scanner aim on|off / suffix HEX|none / save --device PATH --command-set SET`:
/// configures a scanner through its own command set and shows each request and reply. While
/// `checkpointd` runs it goes through the daemon's `scanner.configure` (the daemon owns the port);
/// otherwise it opens the serial port itself (exclusively).
struct ScannerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scanner",
        abstract: "Configure a scanner through its own command set (GM65, Honeywell, Zebra SSI).",
        subcommands: [ScannerAimCommand.self, ScannerSuffixCommand.self, ScannerSaveCommand.self])
}

struct ScannerTarget: ParsableArguments {
    @Option(name: .long, help: "The scanner's serial device (e.g. /dev/serial/by-id/…).")
    var device: String

    @Option(name: .long, help: "The command set: gm65, honeywell or zebra-ssi.")
    var commandSet: String

    @Option(name: .long, help: "Baud rate when opening the port directly.")
    var baud: Int = 9600

    @Option(name: .long, help: "Milliseconds to wait for each reply.")
    var timeoutMs: Int = 2000

    @Option(name: .long, help: "The daemon's control socket.")
    var socket: String = ControlProtocol.defaultSocketPath

    @Flag(name: .long, help: "Print the report as JSON.")
    var json = false

    func validate() throws {
        guard ScannerCommandSet(rawValue: commandSet) != nil else {
            throw ValidationError("--command-set must be one of \(ScannerCommandSet.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard SerialSettings.supportedBaudRates.contains(baud) else { throw ValidationError("--baud \(baud) is not a supported rate") }
        guard (50...60_000).contains(timeoutMs) else { throw ValidationError("--timeout-ms must be 50…60000") }
    }

    /// Runs `action`; prints the exchange; throws `ExitCode.failure` if the scanner refused.
    func perform(_ action: ScannerConfigurationAction) async throws {
        let set = ScannerCommandSet(rawValue: commandSet) ?? .gm65
        let request = ScannerControl.Request(device: device, commandSet: set, action: action)
        let response: ControlResponse
        do {
            let client = try ControlClient(path: socket, timeoutSeconds: max(5, timeoutMs / 1000 * 8))
            response = try client.send(ControlRequest(.scannerConfigure, arguments: request.arguments))
        } catch ControlClient.Failure.daemonNotRunning {
            response = try await direct(request)
        }
        if json, let j = response.json { print(j) } else if !response.output.isEmpty { print(response.output) }
        if !response.ok {
            FileHandle.standardError.write(Data("checkpointctl scanner: \(response.error ?? "failed")\n".utf8))
            throw ExitCode.failure
        }
    }

    /// The daemon is not running: open the port ourselves.
    private func direct(_ request: ScannerControl.Request) async throws -> ControlResponse {
        let loop = try EventLoop(name: "checkpointctl-scanner")
        defer { loop.stop() }
        let port = try SerialPort(path: device, settings: SerialSettings(baudRate: baud), loop: loop)
        let inbox = ByteInbox()
        port.routeReceived(to: { inbox.deliver($0) }, closed: { inbox.close() })
        do { try port.open() } catch { throw ValidationError("\(error)") }
        defer { port.close() }
        let channel = ScannerControl.Channel(send: { port.write($0) }, inbox: inbox)
        return ScannerConfigureCommand.response(await ScannerControl.perform(request, channel: channel, replyTimeout: .milliseconds(timeoutMs)))
    }
}

struct ScannerAimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "aim", abstract: "Turn symbology identifiers on or off: AIM identifiers, or Grow's Code ID on a GM65 (which has no AIM).")

    @Argument(help: "on or off") var state: String
    @OptionGroup var target: ScannerTarget

    func validate() throws {
        guard state == "on" || state == "off" else { throw ValidationError("aim takes on or off") }
    }

    func run() async throws { try await target.perform(.aimIdentifiers(state == "on")) }
}

struct ScannerSuffixCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "suffix", abstract: "Set the bytes sent after each scan (hex, e.g. 0D0A; or none).")

    @Argument(help: "Hex bytes (0D, 0D0A, 09) or none") var value: String
    @OptionGroup var target: ScannerTarget

    func run() async throws {
        let action: ScannerConfigurationAction
        do throws(ScannerConfigurationError) { action = try ScannerControl.Request.action("suffix", value: value) } catch {
            throw ValidationError(error.description)
        }
        try await target.perform(action)
    }
}

struct ScannerSaveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "save", abstract: "Make the current settings survive a power cycle.")

    @OptionGroup var target: ScannerTarget

    func run() async throws { try await target.perform(.save) }
}
