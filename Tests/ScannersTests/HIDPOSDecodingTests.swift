import CheckpointCore
import Scanners
import Testing

@Suite("HID POS report decoding")
struct HIDPOSDecodingTests {
    @Test("A recorded Honeywell stream reassembles a 150-byte scan from three packets and reads a one-packet EAN-13")
    func multiPacket() throws {
        let reports = CaptureFiles.reports(try CaptureFiles.bytes("hidpos-honeywell-multipacket.hidraw"))
        let expected = try CaptureFiles.expectedCodes("hidpos-honeywell-multipacket.json")
        #expect(reports.count == 4)
        var d = HIDPOSDecoder(device: "hidraw:test", layout: .honeywell)
        var out: [ScanOutcome] = []
        for (i, r) in reports.enumerated() { out += d.feed(report: r, at: .milliseconds(i * 5)) }
        let scans = out.compactMap(\.scan)
        #expect(out.count == 2)
        #expect(scans.map(\.text) == expected.map(\.text))
        #expect(scans.map(\.symbology.rawValue) == expected.map(\.symbology))
        #expect(scans.first?.bytes.count == 150)
        #expect(scans.first?.aimID == "]Q1")
    }

    @Test("Newland reports take their symbology from the code id at byte 62")
    func newland() throws {
        let reports = CaptureFiles.reports(try CaptureFiles.bytes("hidpos-newland.hidraw"))
        var layout = HIDPOSLayout.newland
        layout.codeIDs = [UInt8(ascii: "Q"): .qr, UInt8(ascii: "d"): .ean13]
        var d = HIDPOSDecoder(device: "nl", layout: layout)
        var out: [ScanOutcome] = []
        for r in reports { out += d.feed(report: r, at: .zero) }
        let scans = out.compactMap(\.scan)
        #expect(scans.map(\.text) == ["NL-QR-0001", "6901234567892"])
        #expect(scans.map(\.symbology) == [.qr, .ean13])
        #expect(scans.allSatisfy { $0.aimID == nil })
    }

    @Test("Newland reports carry up to 56 data bytes at [2–57] and continue a scan while bit 0 of byte 63 is set")
    func newlandContinuation() {
        let text = Array("https://hc.example/newland-".utf8) + Array(repeating: UInt8(ascii: "x"), count: 73)   // 100 bytes
        func report(_ chunk: ArraySlice<UInt8>, more: Bool) -> [UInt8] {
            var r = [UInt8](repeating: 0, count: 64)
            r[0] = 0x02
            r[1] = UInt8(chunk.count)
            for (k, b) in chunk.enumerated() { r[2 + k] = b }
            r[62] = UInt8(ascii: "Q")
            r[63] = more ? 0x01 : 0x00
            return r
        }
        #expect(HIDPOSLayout.newland.maxPayloadPerPacket == 56)
        var layout = HIDPOSLayout.newland
        layout.codeIDs = [UInt8(ascii: "Q"): .qr]
        var d = HIDPOSDecoder(device: "nl", layout: layout)
        var out = d.feed(report: report(text[0..<56], more: true), at: .zero)
        #expect(out.isEmpty)
        out += d.feed(report: report(text[56...], more: false), at: .milliseconds(5))
        #expect(out.compactMap(\.scan).map(\.bytes) == [text])
        #expect(out.compactMap(\.scan).first?.symbology == .qr)
        // A length above 56 cannot be a Newland packet.
        var bad = report(text[0..<56], more: false)
        bad[1] = 57
        #expect(d.feed(report: bad, at: .seconds(1)).compactMap(\.scan).isEmpty)
    }

    @Test("A malformed report in the middle of a reassembly discards the partial scan and both are counted")
    func malformedMidScan() throws {
        let reports = CaptureFiles.reports(try CaptureFiles.bytes("hidpos-honeywell-multipacket.hidraw"))
        var d = HIDPOSDecoder(device: "h", layout: .honeywell)
        var bad = reports[1]
        bad[1] = 57 // length above 56
        var out = d.feed(report: reports[0], at: .zero)
        out += d.feed(report: bad, at: .zero)
        out += d.feed(report: reports[3], at: .zero)
        var counters = ScanCounters()
        counters.record(out)
        #expect(counters.rejections == ["incomplete": 1, "malformedReport": 1])
        #expect(out.compactMap(\.scan).map(\.text) == ["6901234567892"])
    }

    @Test("A scan whose packets exceed the payload limit is rejected once as tooLong, never truncated")
    func overlong() {
        var d = HIDPOSDecoder(device: "h", layout: .honeywell, rules: PayloadRules(maxBytes: 100))
        var out: [ScanOutcome] = []
        for i in 0..<5 {
            var r = [UInt8](repeating: 0x41, count: 64)
            r[0] = 0x02; r[1] = 56; r[2] = 0x5D; r[3] = 0x51; r[4] = 0x31
            r[63] = i < 4 ? 1 : 0
            out += d.feed(report: r, at: .zero)
        }
        #expect(out.count == 1)
        #expect(out.first?.rejection?.reason == .tooLong(bytes: 112, limit: 100))
        #expect(!d.hasPartialScan)
    }

    @Test("A continuation packet that never comes is discarded after the packet timeout")
    func continuationTimeout() throws {
        let reports = CaptureFiles.reports(try CaptureFiles.bytes("hidpos-honeywell-multipacket.hidraw"))
        var d = HIDPOSDecoder(device: "h", layout: .honeywell, packetTimeout: .milliseconds(200))
        var out = d.feed(report: reports[0], at: .seconds(1))
        out += d.idle(at: .seconds(1) + .milliseconds(199))
        #expect(out.isEmpty)
        out += d.idle(at: .seconds(1) + .milliseconds(200))
        #expect(out.compactMap(\.rejection).map(\.reason.code) == ["incomplete"])
    }

    @Test("A scan interrupted past the packet timeout is dropped, not merged: the next scan decodes alone")
    func interruptedScanNotMerged() throws {
        let reports = CaptureFiles.reports(try CaptureFiles.bytes("hidpos-honeywell-multipacket.hidraw"))
        let expected = try CaptureFiles.expectedCodes("hidpos-honeywell-multipacket.json")
        var d = HIDPOSDecoder(device: "h", layout: .honeywell, packetTimeout: .milliseconds(200))
        var out = d.feed(report: reports[0], at: .seconds(1))  // the first packet of three
        out += d.feed(report: reports[3], at: .seconds(2))     // a one-packet scan a second later
        #expect(out.compactMap(\.rejection).map(\.reason.code) == ["incomplete"])
        #expect(out.compactMap(\.scan).map(\.text) == [expected[1].text])
    }
}
