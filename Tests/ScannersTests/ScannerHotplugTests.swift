import CheckpointConfig
import CheckpointCore
import DeviceCatalog
import DeviceFamilies
import DeviceIO
import DeviceRuntime
import Foundation
import Scanners
import TestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The udev events are described by hand (fakes standing in for udev, which this machine lacks; the
/// QEMU tier's `hotplug` suite has the real ones); the nodes behind them are FIFOs standing in for
/// `/dev/hidrawN`, read by the real runner.
@Suite("ScannerFleet: scanners found by the catalog's [match], attached and detached on hotplug", .serialized)
struct ScannerHotplugTests {
    private struct Rig {
        let dir: URL
        let loop: EventLoop
        let fleet: ScannerFleet
        let events = Mutex<[ScannerEvent]>([])

        init(_ devices: [DeviceConfiguration], name: String) throws {
            dir = try TestEnvironment.temporaryDirectory(name)
            loop = try EventLoop(name: name)
            let directory = BuildProducts.packageRoot.appendingPathComponent("Devices/scanners").path
            let setup = DeviceSetup(catalogDirectory: directory, catalog: Catalog.load(directory: directory, families: ScannerFamilies.all),
                                    devices: devices)
            fleet = ScannerFleet(setup: setup, loop: loop, duplicateWindow: .milliseconds(1))
            let events = events
            fleet.onAttach { runner in runner.onEvent { e in events.withLock { $0.append(e) } } }
        }

        /// A FIFO named like a hidraw node, and its description as udev gives a Honeywell's.
        func node(_ name: String, serial: String = "18014B0123") throws -> DeviceDescription {
            let path = dir.appendingPathComponent(name).path
            #expect(mkfifo(path, 0o600) == 0)
            return DeviceDescription(subsystem: "hidraw", devnode: path, vendorID: "0c2e", productID: "0b07", serial: serial,
                                     properties: ["ID_USB_INTERFACE_NUM": "00"])
        }

        /// Opens the FIFO's writing end (kept open until the node is removed: closing it is end of
        /// file, which the reader takes for the device's loss).
        func plugIn(_ node: DeviceDescription) -> Int32 {
            let writer = open(node.devnode, O_WRONLY | O_NONBLOCK | O_CLOEXEC)
            #expect(writer >= 0, "the runner reads \(node.devnode)")
            return writer
        }

        /// Writes one single-packet Honeywell HID POS report (report 2, length, AIM id, data).
        func scan(_ text: String, into node: DeviceDescription, writer: Int32) async throws {
            guard let runner = fleet.runners.first(where: { $0.path == node.devnode }), case .node(let reader) = runner.source else {
                Issue.record("no runner reads \(node.devnode)")
                return
            }
            let before = reader.readCount
            var report = [UInt8](repeating: 0, count: 64)
            report[0] = 0x02
            report[1] = UInt8(text.utf8.count)
            for (k, b) in Array("]Q1".utf8).enumerated() { report[2 + k] = b }
            for (k, b) in Array(text.utf8).enumerated() { report[5 + k] = b }
            _ = report.withUnsafeBytes { write(writer, $0.baseAddress, $0.count) }
            #expect(await waitUntil { reader.readCount > before })
            #expect(await waitUntil { self.scans.contains(text) })
        }

        var scans: [String] { events.withLock { $0.compactMap { if case .scan(let s) = $0 { return s.text } else { return nil } } } }
        var closings: Int { events.withLock { $0.filter { if case .closed = $0 { return true } else { return false } }.count } }

        func shutdown() {
            fleet.stop()
            loop.stop()
            try? FileManager.default.removeItem(at: dir)
        }
    }

    @Test("A scanner configured by model attaches when its device appears, is missing after unplug, re-attaches at a new node")
    func attachDetachReattach() async throws {
        let rig = try Rig([DeviceConfiguration(id: "north", model: "honeywell-hidpos", location: .catalogMatch)], name: "scan-hotplug")
        defer { rig.shutdown() }
        rig.fleet.start(discovered: [])
        #expect(rig.fleet.runners.isEmpty)
        #expect(rig.fleet.statuses.map(\.port) == ["missing"], "configured but not plugged in: missing, not absent from status")

        let first = try rig.node("hidraw5")
        rig.fleet.deviceAdded(first)
        #expect(rig.fleet.runners.map(\.path) == [first.devnode])
        let firstWriter = rig.plugIn(first)
        defer { close(firstWriter) }
        try await rig.scan("BEFORE-UNPLUG", into: first, writer: firstWriter)

        rig.fleet.deviceRemoved(first)
        #expect(rig.fleet.runners.isEmpty)
        let missing = try #require(rig.fleet.statuses.first)
        #expect(missing.port == "missing")
        #expect(missing.path.isEmpty)
        #expect((missing.attaches, missing.detaches) == (1, 1))
        #expect(rig.closings == 1, "the gate hears the scanner closed")

        let second = try rig.node("hidraw7")
        rig.fleet.deviceAdded(second)
        #expect(rig.fleet.runners.map(\.path) == [second.devnode], "attached again under the new node name")
        let secondWriter = rig.plugIn(second)
        defer { close(secondWriter) }
        try await rig.scan("AFTER-REPLUG", into: second, writer: secondWriter)
        let back = try #require(rig.fleet.statuses.first)
        #expect(back.isOpen)
        #expect((back.attaches, back.detaches) == (2, 1))
        #expect(back.scans == 2, "the replugged scanner continues its counters")
        #expect(rig.scans == ["BEFORE-UNPLUG", "AFTER-REPLUG"])
    }

    @Test("A scanner's model does not attach to nodes its transport does not open or its [match] does not fit")
    func wrongNodes() throws {
        let rig = try Rig([DeviceConfiguration(id: "north", model: "honeywell-hidpos", location: .catalogMatch),
                           DeviceConfiguration(id: "wedge", model: "honeywell-wedge-us", location: .catalogMatch)], name: "scan-wrong")
        defer { rig.shutdown() }
        rig.fleet.start(discovered: [])
        let keyboardProperties = ["ID_INPUT_KEYBOARD": "1", "ID_USB_INTERFACE_NUM": "00"]
        // The keyboard's event node fits the wedge model only; these are not the hid-pos model's.
        rig.fleet.deviceAdded(DeviceDescription(subsystem: "input", devnode: rig.dir.appendingPathComponent("mouse0").path,
                                                vendorID: "0c2e", productID: "0b61", properties: keyboardProperties))
        rig.fleet.deviceAdded(DeviceDescription(subsystem: "input", devnode: rig.dir.appendingPathComponent("event6").path,
                                                vendorID: "0c2e", productID: "0b61", properties: ["ID_INPUT_MOUSE": "1"]))
        rig.fleet.deviceAdded(DeviceDescription(subsystem: "hidraw", devnode: rig.dir.appendingPathComponent("hidraw2").path,
                                                vendorID: "05e0", productID: "1200"))
        #expect(rig.fleet.runners.isEmpty, "a mouse node, a non-keyboard event node and another vendor's hidraw node are not attached")
        #expect(rig.fleet.statuses.map(\.port) == ["missing", "missing"])
    }

    @Test("Two plugged-in devices fitting one scanner attach neither; a selector with the serial picks one")
    func ambiguousNeedsSelector() throws {
        let rig = try Rig([DeviceConfiguration(id: "any", model: "honeywell-hidpos", location: .catalogMatch),
                           DeviceConfiguration(id: "picked", model: "honeywell-hidpos", location: .match(.init(serial: "B")))],
                          name: "scan-ambiguous")
        defer { rig.shutdown() }
        let a = try rig.node("hidraw1", serial: "A")
        let b = try rig.node("hidraw2", serial: "B")
        rig.fleet.start(discovered: [a, b])
        #expect(rig.fleet.statuses.map(\.port) == ["missing", "open"])
        #expect(rig.fleet.runners.map(\.path) == [b.devnode])
    }

    @Test("A device configured by a model that has no [match] is rejected at load, naming the key")
    func modelWithoutMatch() throws {
        let directory = BuildProducts.packageRoot.appendingPathComponent("Devices").path
        let doc = try ConfigDocument(text: "[[device]]\nid = \"w\"\nmodel = \"wedge-us\"\n", file: "g.toml")
        #expect(throws: ConfigError.self) { try DeviceSetup.load(doc, catalogOverride: directory, families: CatalogFamilies.all) }
        do {
            _ = try DeviceSetup.load(doc, catalogOverride: directory, families: CatalogFamilies.all)
        } catch {
            #expect(error.key == "device[0].model")
            #expect(error.message.contains("no [match]"))
        }
        let found = try ConfigDocument(text: "[[device]]\nid = \"h\"\nmodel = \"honeywell-wedge-us\"\n", file: "g.toml")
        #expect(try DeviceSetup.load(found, catalogOverride: directory, families: CatalogFamilies.all).devices.map(\.location) == [.catalogMatch])
    }
}
