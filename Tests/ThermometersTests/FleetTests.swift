import CheckpointConfig
import CheckpointCore
import DeviceCatalog
import DeviceIO
import DeviceRuntime
import DeviceSimulators
import Foundation
import TestSupport
import Testing
import Thermometers

@Suite("The daemon's thermometer fleet: configured, selected and discovered devices", .serialized)
struct FleetTests {
    /// Simulated devices behind links in `dir`, described as discovery would describe USB adapters
    /// (the descriptions are fakes standing in for udev; the devices behind them are real PTYs).
    private func simulate(_ models: [(String, String, [String: String])], catalog: Catalog, loop: EventLoop, dir: URL) throws -> [SimulatedDeviceHost] {
        try models.map { (modelID, name, options) in
            let model = try require(catalog.model(modelID), modelID)
            return try SimulatedDeviceHost(name: name, linkPath: dir.appendingPathComponent(name).path,
                                           behavior: try SimulatorRegistry.makeBehavior(for: model, options: options), loop: loop)
        }
    }

    @Test("Discovery attaches a device matching one model, not an ambiguous one; selectors pick by port; calibration by identity")
    func discoveryAndSelectors() async throws {
        let catalog = try shippedCatalog()
        let loop = try EventLoop(name: "t-fleet")
        defer { loop.stop() }
        let dir = try TestEnvironment.temporaryDirectory("fleet")
        defer { try? FileManager.default.removeItem(at: dir) }
        let hosts = try simulate([("mcu-90615", "cp2102", ["celsius": "33.3"]), ("xy-md02", "ch340-a", ["celsius": "20.0"]),
                                  ("xy-md02", "ch340-b", ["celsius": "25.0"])], catalog: catalog, loop: loop, dir: dir)
        defer { hosts.forEach { $0.shutdown() } }
        let cp2102 = DeviceDescription(subsystem: "tty", devnode: hosts[0].linkPath, vendorID: "10c4", productID: "ea60", serial: "0001")
        let ch340a = DeviceDescription(subsystem: "tty", devnode: hosts[1].linkPath, vendorID: "1a86", productID: "7523", portPath: "1-1.2")
        let ch340b = DeviceDescription(subsystem: "tty", devnode: hosts[2].linkPath, vendorID: "1a86", productID: "7523", portPath: "1-1.3")
        let selected = DeviceConfiguration(id: "air", model: "xy-md02",
                                           location: .match(.init(usb: "1a86:7523", port: "1-1.3")))
        let fleet = ThermometerFleet(catalog: catalog, devices: [selected],
                                     calibration: CalibrationTable(offsets: [cp2102.identity: 0.4]), discover: true,
                                     loop: loop, reopenPolicy: PTYRig.quickReopen)
        defer { fleet.stop() }
        fleet.start(discovered: [cp2102, ch340a, ch340b])
        #expect(fleet.runners.map(\.id).sorted() == ["air", "auto-cp2102"], "ch340-a matches several CH340 models: not guessed")
        #expect(await waitUntil { fleet.statuses.allSatisfy { $0.lastReading != nil } })
        let byID = Dictionary(uniqueKeysWithValues: fleet.statuses.map { ($0.id, $0) })
        #expect(byID["air"]?.lastReading.map { abs($0.celsius - 25.0) < 1e-9 } == true, "the selector picked port 1-1.3")
        #expect(byID["auto-cp2102"]?.lastReading.map { abs($0.celsius - 33.7) < 1e-9 } == true, "33.3 + 0.4 by identity")
        #expect(byID["auto-cp2102"]?.identity == "usb:10c4:ea60:0001")
        let probe = try await fleet.probe(device: "air", model: nil, timeout: .seconds(3))
        #expect(probe.reading.kind == .ambient)
    }

    @Test("A selector device plugged in later is attached on the hotplug event")
    func hotplugAttach() async throws {
        let catalog = try shippedCatalog()
        let loop = try EventLoop(name: "t-fleet-hotplug")
        defer { loop.stop() }
        let dir = try TestEnvironment.temporaryDirectory("fleet-hotplug")
        defer { try? FileManager.default.removeItem(at: dir) }
        let fleet = ThermometerFleet(catalog: catalog, devices: [DeviceConfiguration(id: "t", model: nil, location: .match(.init(serial: "XYZ")))],
                                     calibration: CalibrationTable(), discover: false, loop: loop, reopenPolicy: PTYRig.quickReopen)
        defer { fleet.stop() }
        fleet.start(discovered: [])
        #expect(fleet.runners.isEmpty)
        let hosts = try simulate([("mcu-90615", "late", [:])], catalog: catalog, loop: loop, dir: dir)
        defer { hosts.forEach { $0.shutdown() } }
        fleet.deviceAdded(DeviceDescription(subsystem: "tty", devnode: hosts[0].linkPath, vendorID: "10c4", productID: "ea60", serial: "XYZ"))
        #expect(fleet.runners.map(\.id) == ["t"])
        #expect(await waitUntil { fleet.statuses.first?.lastReading != nil })
        #expect(fleet.statuses.first?.model == "mcu-90615", "the catalog's match chose the model")
    }
}
