import CheckpointCore
import DeviceIO
import DeviceSimulators
import Foundation
import Scanners
import TestSupport
import Testing

@Suite("A serial scanner unplugged mid-scan")
struct ScannerUnplugTests {
    @Test("A scanner unplugged mid-scan discards and counts the partial scan, and after replug the next scan works")
    func unplugMidScan() async throws {
        let f = try SerialScannerFixture(framing: ScanFraming(suffix: [0x0D]))
        defer { f.shutdown() }
        let decoder = Mutex(SerialScanDecoder(device: "tty"))
        let outcomes = Mutex<[ScanOutcome]>([])
        let states = Mutex<[String]>([])
        f.port.onReceive { bytes in
            let out = decoder.withLock { $0.feed(bytes, at: .zero) }
            outcomes.withLock { $0 += out }
        }
        f.port.onStateChange { state in
            states.withLock { $0.append(state.description) }
            if case .disconnected = state {
                let out = decoder.withLock { $0.deviceLost() }
                outcomes.withLock { $0 += out }
            }
        }
        try f.port.open()
        try f.simulator.emit(SimulatedCode("before", symbology: .qr))
        #expect(await waitUntil { outcomes.withLock { $0.count } == 1 })

        try f.simulator.emitRaw(Array("]Q1half-of-a-co".utf8))
        #expect(await waitUntil { f.port.counters.bytesIn >= 10 + 15 })
        f.simulator.unplug()
        #expect(await waitUntil { outcomes.withLock { $0.count } == 2 })
        let lost = outcomes.withLock { $0.last?.rejection }
        #expect(lost?.reason == .incomplete(bytes: 15, cause: "device lost"))

        try f.simulator.replug()
        #expect(await waitUntil { f.port.state == .reopened })
        try f.simulator.emit(SimulatedCode("after", symbology: .qr))
        #expect(await waitUntil { outcomes.withLock { $0.count } == 3 })
        var counters = ScanCounters()
        counters.record(outcomes.withLock { $0 })
        #expect(counters.scans == 2)
        #expect(counters.rejections == ["incomplete": 1])
        #expect(outcomes.withLock { $0.compactMap(\.scan).map(\.text) } == ["before", "after"])
    }
}
