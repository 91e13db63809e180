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
        try await onOwnThread {
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
}
