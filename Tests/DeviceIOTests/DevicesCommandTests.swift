import CheckpointCore
import Control
import DeviceIO
import Foundation
import TestSupport
import Testing

@Suite("checkpointctl devices")
struct DevicesCommandTests {
    /// Runs the built `checkpointctl` with `arguments`; returns its exit status and standard output.
    static func checkpointctl(_ arguments: [String]) async throws -> (Int32, String) {
        try await offPool {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: BuildProducts.executable("checkpointctl"))
            process.arguments = arguments
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: data, as: UTF8.self))
        }
    }

    @Test("checkpointctl devices asks the daemon's control socket when one answers, and prints its devices with the model")
    func asksTheDaemon() async throws {
        let directory = try TestEnvironment.temporaryDirectory("ctl-devices")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("control.sock").path
        let loop = try EventLoop(name: "t-ctl-devices")
        defer { loop.stop() }
        let router = ControlRouter()
        let simulated = DeviceDescription(subsystem: "tty", devnode: "/dev/ttyUSB3", vendorID: "1a86", productID: "7523",
                                          portPath: "1-1.4", links: ["/dev/serial/by-path/fake-port"])
        DevicesListCommand.register(on: router, discover: { [simulated] }, match: { _ in "lu90614" })
        let server = ControlServer(path: path, router: router, loop: loop)
        try server.start()
        defer { server.stop() }

        let (status, table) = try await Self.checkpointctl(["devices", "--socket", path])
        #expect(status == 0)
        #expect(table.contains("from checkpointd"))
        #expect(table.contains("/dev/ttyUSB3") && table.contains("1a86:7523") && table.contains("usb:1a86:7523@1-1.4"))
        #expect(table.contains("lu90614") && table.contains("/dev/serial/by-path/fake-port"))

        let (jsonStatus, json) = try await Self.checkpointctl(["devices", "--socket", path, "--json"])
        #expect(jsonStatus == 0)
        let entries = try JSONDecoder().decode([DeviceListEntry].self, from: Data(json.utf8))
        #expect(entries == [DeviceListEntry(device: simulated, model: "lu90614")])
    }

    @Test("checkpointctl devices discovers locally when no daemon answers, listing what discovery lists")
    func discoversLocally() async throws {
        let (status, json) = try await Self.checkpointctl(["devices", "--socket", "/nonexistent/control.sock", "--json"])
        #expect(status == 0)
        let entries = try JSONDecoder().decode([DeviceListEntry].self, from: Data(json.utf8))
        #expect(entries.map(\.device.devnode) == (try DeviceDiscovery.enumerate()).map(\.devnode))
        let (_, table) = try await Self.checkpointctl(["devices", "--socket", "/nonexistent/control.sock"])
        #expect(table.contains("local discovery"))
    }

    @Test("Local discovery shows the catalog model a device matched (a temp catalog whose rule matches this machine's first device)")
    func localCatalogMatch() async throws {
        let devices = try DeviceDiscovery.enumerate()
        guard let first = devices.first, let devname = first.properties["DEVNAME"] else {
            Issue.record("this machine has no discoverable device to match (expected at least ttyS0)")
            return
        }
        let catalog = try TestEnvironment.temporaryDirectory("ctl-catalog")
        defer { try? FileManager.default.removeItem(at: catalog) }
        let model = """
        model = "bench-uart"
        name = "A model whose rule matches this machine's first device, for the test"
        role = "thermometer"
        family = "lu90614"

        [match]
        properties = { DEVNAME = "\(devname)" }

        [transport]
        kind = "serial"
        baud = 9600

        [temperature]
        kind = "body"
        scale = 0.01
        range = [0.0, 60.0]
        """
        try model.write(to: catalog.appendingPathComponent("bench-uart.toml"), atomically: false, encoding: .utf8)
        let (status, json) = try await Self.checkpointctl(["devices", "--local", "--json", "--catalog", catalog.path])
        #expect(status == 0)
        let entries = try JSONDecoder().decode([DeviceListEntry].self, from: Data(json.utf8))
        #expect(entries.first { $0.device.devnode == first.devnode }?.model == "bench-uart")
        #expect(entries.filter { $0.model == "bench-uart" }.count == devices.filter { $0.properties["DEVNAME"] == devname }.count)
        let (_, table) = try await Self.checkpointctl(["devices", "--local", "--catalog", catalog.path])
        #expect(table.contains("MODEL") && table.contains("bench-uart"))
    }

    @Test("checkpointctl devices --watch prints a line when the kernel announces a device (synthetic add uevent)",
          .enabled(if: DiscoveryTests.writableUeventOfFirstDevice != nil, "needs a device whose sysfs uevent file this process may write (root)"))
    func watchPrintsHotplug() async throws {
        let device = try #require(try DeviceDiscovery.enumerate().first)
        let uevent = try #require(DiscoveryTests.writableUeventOfFirstDevice)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: BuildProducts.executable("checkpointctl"))
        process.arguments = ["devices", "--local", "--watch", "--json", "--socket", "/nonexistent/control.sock"]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        let collected = Recorder<String>()
        let reader = output.fileHandleForReading
        let errorReader = errors.fileHandleForReading
        errorReader.readabilityHandler = { handle in collected.append(String(decoding: handle.availableData, as: UTF8.self)) }
        reader.readabilityHandler = { handle in collected.append(String(decoding: handle.availableData, as: UTF8.self)) }
        defer {
            reader.readabilityHandler = nil
            errorReader.readabilityHandler = nil
        }
        #expect(await waitUntil { collected.values.joined().contains("watching for devices") }, "the monitor is up")
        try "add\n".write(toFile: uevent, atomically: false, encoding: .utf8)
        let expected = "{\"devnode\":\"\(device.devnode)\",\"event\":\"added\",\"identity\":\"\(device.identity)\"}"
        #expect(await waitUntil { collected.values.joined().contains(expected) }, "\(collected.values.joined())")
    }

    @Test("checkpointctl devices lists through a running checkpointd's control socket (mode 0660), which the daemon removes at exit")
    func throughTheRealDaemon() async throws {
        let directory = try TestEnvironment.temporaryDirectory("ctl-daemon")
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("gate.toml")
        let catalog = BuildProducts.packageRoot.appendingPathComponent("Devices").path
        try "gate = \"gate-io-test\"\ncatalog = \"\(catalog)\"\n".write(to: config, atomically: false, encoding: .utf8)
        let socket = directory.appendingPathComponent("run/control.sock").path
        let daemon = Process()
        daemon.executableURL = URL(fileURLWithPath: BuildProducts.executable("checkpointd"))
        daemon.arguments = ["--config", config.path, "--control-socket", socket, "--log-level", "error"]
        daemon.standardOutput = FileHandle.nullDevice
        daemon.standardError = FileHandle.nullDevice
        try daemon.run()
        defer { if daemon.isRunning { daemon.terminate() } }
        #expect(await waitUntil { FileManager.default.fileExists(atPath: socket) }, "the daemon created its socket")
        let mode = (try FileManager.default.attributesOfItem(atPath: socket)[.posixPermissions] as? NSNumber)?.intValue
        #expect(mode == 0o660)

        let (status, json) = try await Self.checkpointctl(["devices", "--socket", socket, "--json"])
        #expect(status == 0)
        let entries = try JSONDecoder().decode([DeviceListEntry].self, from: Data(json.utf8))
        #expect(entries.map(\.device.devnode) == (try DeviceDiscovery.enumerate()).map(\.devnode))
        let (_, table) = try await Self.checkpointctl(["devices", "--socket", socket])
        #expect(table.contains("from checkpointd"))

        daemon.terminate()
        try await offPool { daemon.waitUntilExit() }
        #expect(!FileManager.default.fileExists(atPath: socket), "the socket file is removed at exit")
    }
}
