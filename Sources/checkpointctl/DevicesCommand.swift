import ArgumentParser
import CheckpointCore
import Control
import DeviceIO
import Foundation

/// `checkpointctl devices`: what discovery sees. Asks the daemon (`devices.list` on the control
/// socket) while it runs — it owns the devices — and discovers locally otherwise.
struct DevicesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devices",
        abstract: "List the devices discovery sees and the catalog model each matched.")

    @Option(name: .long, help: "The daemon's control socket.")
    var socket: String = ControlProtocol.defaultSocketPath

    @Flag(name: .long, help: "Print JSON (an array of {device, model}) instead of a table.")
    var json = false

    @Flag(name: .long, help: "Discover locally even if the daemon runs.")
    var local = false

    func run() async throws {
        let (entries, source, showModel) = try listing()
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(entries), as: UTF8.self))
        } else {
            print("Devices (\(source)):")
            print(DeviceTable.render(entries, showModel: showModel), terminator: "")
        }
    }

    private func listing() throws -> ([DeviceListEntry], String, Bool) {
        if !local {
            do {
                let client = try ControlClient(path: socket, timeoutSeconds: 5)
                let entries = try DevicesListCommand.entries(from: try client.send(ControlRequest(command: DevicesListCommand.name)))
                return (entries, "from checkpointd at \(socket)", entries.contains { $0.model != nil })
            } catch ControlClient.Failure.daemonNotRunning {
                // The daemon is not running: open nothing, just look at sysfs/udev ourselves.
            } catch {
                FileHandle.standardError.write(Data("checkpointctl devices: asking checkpointd failed (\(error)); discovering locally\n".utf8))
            }
        }
        let entries = try DeviceDiscovery.enumerate().map { DeviceListEntry(device: $0) }
        return (entries, "local discovery; catalog matching not available", false)
    }
}
