import CheckpointCore
import DeviceCatalog
import DeviceFamilies
import DeviceIO
import DeviceRuntime
import DeviceSimulators
import Foundation
import Scanners
import TestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("ScannerRunner: a serial scanner in the event loop", .serialized)
struct ScannerRunnerTests {
    @Test("A scanner runner passes scans, suppresses repeats, drops stalled frames, and lends its line to scanner.configure")
    func runner() async throws {
        let catalog = Catalog.load(directory: BuildProducts.packageRoot.appendingPathComponent("Devices/scanners").path, families: ScannerFamilies.all)
        let model = try #require(catalog.model("gm65"))
        var profile = try ScannerFamilies.profile(for: model)
        guard case .serial(let framing, _) = profile.decoding else { Issue.record("gm65 is serial"); return }
        profile.decoding = .serial(framing, interByteGap: .milliseconds(60))

        let fixture = try SerialScannerFixture(framing: ScanFraming(suffix: [0x0D], aimIdentifiers: true), commandSet: .gm65)
        defer { fixture.shutdown() }
        let runner = try ScannerRunner(id: "lane1-scanner", profile: profile, path: fixture.simulator.linkPath,
                                       serialSettings: model.transport.serialSettings, loop: fixture.loop, duplicateWindow: .seconds(30))
        let events = Mutex<[ScannerEvent]>([])
        runner.onEvent { e in events.withLock { $0.append(e) } }
        try runner.open()
        defer { runner.stop() }
        func count(_ match: @escaping (ScannerEvent) -> Bool) -> Int { events.withLock { $0.filter(match).count } }
        let isScan: (ScannerEvent) -> Bool = { if case .scan = $0 { return true }; return false }
        let isDuplicate: (ScannerEvent) -> Bool = { if case .duplicate = $0 { return true }; return false }

        try fixture.simulator.emit(SimulatedCode("RESIDENT-1"))
        try fixture.simulator.emit(SimulatedCode("RESIDENT-1"))
        #expect(await waitUntil { count(isScan) == 1 && count(isDuplicate) == 1 })
        runner.resetDuplicateWindow()
        try fixture.simulator.emit(SimulatedCode("RESIDENT-1"))
        #expect(await waitUntil { count(isScan) == 2 })

        try fixture.simulator.emitRaw(Array("RESID".utf8)) // no suffix follows
        #expect(await waitUntil { runner.counters.rejections["noise"] == 1 })

        let channel = try runner.lendConfigurationChannel()
        let outcome = await ScannerControl.perform(ScannerControl.Request(device: "lane1-scanner", commandSet: .gm65, action: .aimIdentifiers(true)),
                                                   channel: channel)
        #expect((try? outcome.get())?.accepted == true, "\(outcome)")
        try fixture.simulator.emit(SimulatedCode("RESIDENT-2"))
        #expect(await waitUntil { count(isScan) == 3 })
        let last = events.withLock { $0.last }
        if case .scan(let scan)? = last {
            #expect(scan.aimID == "]Q1")
            #expect(scan.text == "RESIDENT-2")
            #expect(scan.device == "lane1-scanner")
        } else {
            Issue.record("expected a scan, got \(String(describing: last))")
        }
        #expect(runner.counters.scans == 4)
        #expect(runner.counters.duplicates == 1)
    }
}

@Suite("ScannerRunner: a HID POS scanner (a FIFO stands in for /dev/hidrawN)", .serialized)
struct HIDPOSRunnerTests {
    @Test("A hidraw runner on a FIFO stand-in reassembles a multi-packet scan and reports the device's loss")
    func hidrawRunner() async throws {
        let dir = try TestEnvironment.temporaryDirectory("hidraw-runner")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("hidraw3").path
        #expect(mkfifo(path, 0o600) == 0)
        let loop = try EventLoop(name: "hidraw-runner")
        defer { loop.stop() }
        // A continuation timeout of an hour: this test is about reassembly, not the timeout (two
        // suites at once on a loaded machine once took over 10 s between two of its writes).
        let profile = ScannerProfile(model: "honeywell-hidpos", decoding: .hidPOS(.honeywell, packetTimeout: .seconds(3600)))
        let runner = try ScannerRunner(id: "lane2-scanner", profile: profile, path: path, serialSettings: nil, loop: loop)
        let events = Mutex<[ScannerEvent]>([])
        runner.onEvent { e in events.withLock { $0.append(e) } }
        try runner.open()
        defer { runner.stop() }
        let writer = open(path, O_WRONLY | O_CLOEXEC)
        #expect(writer >= 0)
        let reports = CaptureFiles.reports(try CaptureFiles.bytes("hidpos-honeywell-multipacket.hidraw"))
        guard case .node(let reader) = runner.source else { Issue.record("a hidraw runner reads a device node"); return }
        for (i, r) in reports.prefix(3).enumerated() {
            _ = r.withUnsafeBytes { write(writer, $0.baseAddress, $0.count) }
            // One report per read, as hidraw guarantees: wait for this one before writing the next.
            #expect(await waitUntil { reader.readCount == UInt64(i + 1) })
        }
        close(writer)
        #expect(await waitUntil { events.withLock { e in e.contains { if case .closed = $0 { return true }; return false } } })
        let scans = events.withLock { $0.compactMap { if case .scan(let s) = $0 { return s } else { return nil } } }
        #expect(scans.map(\.text.utf8.count) == [150])
        #expect(scans.first?.device == "lane2-scanner")
    }
}
