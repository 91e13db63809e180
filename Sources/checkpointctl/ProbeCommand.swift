import ArgumentParser
import CheckpointConfig
import Control
import DeviceFamilies
import DeviceIO
import DeviceRuntime
import Foundation
import Logging

/// `checkpointctl probe DEVICE [--model M]`: one reading. Through the daemon's control socket
/// (`devices.probe`) while it runs — it owns the devices — otherwise by opening the device.
struct ProbeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Take one reading from a thermometer: prints °C, kind, raw value and model.")

    @Argument(help: "A configured device id or a device path (e.g. /dev/ttyUSB0).")
    var device: String

    @Option(name: .long, help: "The catalog model, for a device that is not configured or not recognised.")
    var model: String?

    @Option(name: .long, help: "The daemon's control socket.")
    var socket: String = ControlProtocol.defaultSocketPath

    @Option(name: .long, help: "The gate's configuration (device ids, calibration, catalog) when opening the device here.")
    var config: String = "/etc/checkpoint/checkpoint.toml"

    @Option(name: .long, help: "The catalog directory when opening the device here (default: the configuration's, else /usr/share/checkpoint/Devices, else ./Devices).")
    var catalog: String?

    @Option(name: .long, help: "How long to wait for a reading, ms.")
    var timeoutMs: Int = 3000

    @Flag(name: .long, help: "Print the result as JSON.")
    var json = false

    @Flag(name: .long, help: "Open the device here even if the daemon runs (it will fail if the daemon holds it).")
    var local = false

    func validate() throws {
        guard (50...60_000).contains(timeoutMs) else { throw ValidationError("--timeout-ms must be 50…60000") }
    }

    func run() async throws {
        let result: ThermometerProbeResult
        if !local, let viaDaemon = try askDaemon() {
            result = viaDaemon
        } else {
            result = try await probeHere()
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(result), as: UTF8.self))
        } else {
            print(result.summary)
        }
    }

    /// The daemon's answer, or nil if it is not running.
    private func askDaemon() throws -> ThermometerProbeResult? {
        let client: ControlClient
        do { client = try ControlClient(path: socket, timeoutSeconds: timeoutMs / 1000 + 5) } catch ControlClient.Failure.daemonNotRunning {
            return nil
        }
        var arguments = ["device": device, "timeoutMs": String(timeoutMs)]
        if let model { arguments["model"] = model }
        let response = try client.send(ControlRequest(.devicesProbe, arguments: arguments))
        guard response.ok else { throw ProbeFailure(message: "checkpointd: \(response.error ?? "probe failed")") }
        guard let text = response.json, let result = try? JSONDecoder().decode(ThermometerProbeResult.self, from: Data(text.utf8)) else {
            throw ProbeFailure(message: "checkpointd answered without a reading: \(response.output)")
        }
        return result
    }

    private func probeHere() async throws -> ThermometerProbeResult {
        let setup: DeviceSetup
        if FileManager.default.fileExists(atPath: config) {
            setup = try DeviceSetup.load(ConfigDocument(contentsOf: config), catalogOverride: catalog, families: CatalogFamilies.all)
        } else {
            let dir = catalog ?? DeviceSetup.defaultCatalogDirectory
            setup = DeviceSetup(catalogDirectory: dir, catalog: .load(directory: dir, families: CatalogFamilies.all))
        }
        let discovered = (try? DeviceDiscovery.enumerate(subsystems: ["tty"])) ?? []
        let target = try ProbeTarget.resolve(device, model: model, setup: setup, discovered: discovered)
        guard let catalogModel = setup.catalog.model(target.model) else { throw ProbeFailure(message: "no model \(target.model)") }
        var logger = Logger(label: "checkpointctl.probe")
        logger.logLevel = .warning
        let loop = try EventLoop(name: "checkpointctl-probe", logger: logger)
        defer { loop.stop() }
        return try await ThermometerProbe.probe(path: target.path, model: catalogModel, device: target.device,
                                                identity: target.identity, unitOffset: target.unitOffset,
                                                timeout: .milliseconds(timeoutMs), loop: loop, logger: logger)
    }
}

struct ProbeFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
