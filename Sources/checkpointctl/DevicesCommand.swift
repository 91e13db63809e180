import ArgumentParser
import CheckpointCore
import Control
import DeviceCatalog
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

    @Flag(name: .long, help: "After the list, keep printing devices as they are plugged in (+) and removed (-), until interrupted.")
    var watch = false

    @Option(name: .long, help: "The device catalog for local discovery (default: the first of \(Catalog.defaultDirectories.joined(separator: ", ")) that exists).")
    var catalog: String?

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
        if watch { try await watchHotplug() }
    }

    /// Prints one line per hotplug event (`+ devnode identity` / `- devnode`), or one JSON object per
    /// line with `--json`, until the process is interrupted. Opens no device: only the udev monitor.
    private func watchHotplug() async throws {
        let loop = try EventLoop(name: "ctl-watch")
        let json = json
        let monitor = try DeviceMonitor(loop: loop) { event in
            let line: String
            switch event {
            case .added(let device):
                line = json ? Self.jsonLine(["event": "added", "devnode": device.devnode, "identity": device.identity])
                            : "+ \(device.devnode)  \(device.subsystem)  \(device.identity)"
            case .removed(let device):
                line = json ? Self.jsonLine(["event": "removed", "devnode": device.devnode])
                            : "- \(device.devnode)  \(device.subsystem)"
            }
            FileHandle.standardOutput.write(Data((line + "\n").utf8))
        }
        FileHandle.standardError.write(Data("watching for devices (\(monitor.source.rawValue) events); Ctrl-C to stop\n".utf8))
        while !Task.isCancelled { try await Task.sleep(for: .seconds(3600)) }
        monitor.stop()
        loop.stop()
    }

    private static func jsonLine(_ fields: [String: String]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(fields)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    private func listing() throws -> ([DeviceListEntry], String, Bool) {
        if !local {
            do {
                let client = try ControlClient(path: socket, timeoutSeconds: 5)
                let entries = try DevicesListCommand.entries(from: try client.send(ControlRequest(.devicesList)))
                return (entries, "from checkpointd at \(socket)", true)
            } catch ControlClient.Failure.daemonNotRunning {
                // The daemon is not running: open nothing, just look at sysfs/udev ourselves.
            } catch {
                FileHandle.standardError.write(Data("checkpointctl devices: asking checkpointd failed (\(error)); discovering locally\n".utf8))
            }
        }
        let devices = try DeviceDiscovery.enumerate()
        guard let directory = catalog ?? Catalog.defaultDirectories.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            return (devices.map { DeviceListEntry(device: $0) }, "local discovery; no catalog found", false)
        }
        // Every model file counts for recognition (thermometers and scanners), so families are not checked here.
        let models = Catalog.load(directory: directory)
        for error in models.errors {
            FileHandle.standardError.write(Data("checkpointctl devices: catalog: \(error)\n".utf8))
        }
        let entries = devices.map { DeviceListEntry(device: $0, model: Self.modelName(models.match($0))) }
        return (entries, "local discovery; catalog \(directory), \(models.models.count) models", true)
    }

    /// The model column: the matched model id, `ambiguous: a, b` when several tie, nil when none matched.
    static func modelName(_ match: CatalogMatch) -> String? {
        if case .none = match { return nil }
        return match.summary
    }
}
