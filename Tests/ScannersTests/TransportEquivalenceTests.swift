import CheckpointCore
import DeviceIO
import DeviceSimulators
import Foundation
import Scanners
import TestSupport
import Testing

@Suite("The three transports yield identical scans")
struct TransportEquivalenceTests {
    struct Essence: Hashable, CustomStringConvertible {
        var bytes: [UInt8]
        var text: String
        var symbology: Symbology
        var aimID: String?
        init(_ s: Scan) { bytes = s.bytes; text = s.text; symbology = s.symbology; aimID = s.aimID }
        var description: String { "\(symbology.rawValue) \(aimID ?? "-") \(text)" }
    }

    @Test("The same codes as evdev key events, HID POS reports and serial bytes over a PTY give identical Scan events")
    func sameScansEverywhere() async throws {
        let expected = try CaptureFiles.expectedCodes("equivalence.json")
        #expect(expected.count == 5)

        // 1. Keyboard wedge: recorded input_event stream.
        var wedge = KeyboardWedgeDecoder(device: "wedge")
        var stream = InputEventStream()
        let wedgeOut = wedge.feed(events: stream.feed(try CaptureFiles.bytes("equivalence.evdev")))

        // 2. HID POS: recorded Honeywell reports (the 120-byte code spans three packets).
        var hid = HIDPOSDecoder(device: "hidpos", layout: .honeywell)
        var hidOut: [ScanOutcome] = []
        for r in CaptureFiles.reports(try CaptureFiles.bytes("equivalence.hidraw")) { hidOut += hid.feed(report: r, at: .zero) }

        // 3. Serial: the recorded bytes sent by a simulated scanner through a real PTY to a SerialPort.
        let fixture = try SerialScannerFixture()
        defer { fixture.shutdown() }
        let decoder = Mutex(SerialScanDecoder(device: "serial"))
        let serialOut = Mutex<[ScanOutcome]>([])
        fixture.port.onReceive { bytes in
            let out = decoder.withLock { $0.feed(bytes, at: .zero) }
            serialOut.withLock { $0 += out }
        }
        try fixture.port.open()
        try fixture.simulator.emitRaw(try CaptureFiles.bytes("equivalence.serial"))
        #expect(await waitUntil { serialOut.withLock { $0.count } >= expected.count })

        let wedgeScans = wedgeOut.compactMap(\.scan).map(Essence.init)
        let hidScans = hidOut.compactMap(\.scan).map(Essence.init)
        let serialScans = serialOut.withLock { $0 }.compactMap(\.scan).map(Essence.init)
        #expect(wedgeOut.count == expected.count && hidOut.count == expected.count)
        #expect(wedgeScans == hidScans)
        #expect(hidScans == serialScans)
        #expect(serialScans.map(\.text) == expected.map(\.text))
        #expect(serialScans.map(\.symbology.rawValue) == expected.map(\.symbology))
        #expect(serialScans.allSatisfy { $0.bytes == Array($0.text.utf8) })
    }
}
