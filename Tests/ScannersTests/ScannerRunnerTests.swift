import CheckpointCore
import DeviceCatalog
import DeviceIO
import DeviceRuntime
import DeviceSimulators
import Foundation
import Scanners
import TestSupport
import Testing

@Suite("ScannerRunner: a serial scanner in the event loop", .serialized)
struct ScannerRunnerTests {
    @Test("Scans flow, a repeat within the window is suppressed until the gate resets it, a stalled frame is discarded by the idle timer, and scanner.configure borrows the line")
    func runner() async throws {
        let catalog = Catalog.load(directory: BuildProducts.packageRoot.appendingPathComponent("Devices/scanners").path, families: ScannerFamilies.all)
        let model = try #require(catalog.model("gm65"))
        var profile = try ScannerFamilies.profile(for: model)
        guard case .serial(let framing, _) = profile.decoding else { Issue.record("gm65 is serial"); return }
        profile.decoding = .serial(framing, idleTimeout: .milliseconds(60))

        let fixture = try SerialScannerFixture(framing: ScanFraming(suffix: [0x0D], aimIdentifiers: false), commandSet: .gm65)
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
        #expect(await waitUntil { runner.counters.rejections["incomplete"] == 1 })

        let channel = try runner.lendConfigurationChannel()
        let response = await ScannerControl.perform(ScannerControl.Request(device: "lane1-scanner", commandSet: .gm65, action: .aimIdentifiers(true)),
                                                    channel: channel)
        #expect(response.ok, "\(response)")
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
