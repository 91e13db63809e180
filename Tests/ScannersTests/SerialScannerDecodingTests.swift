import CheckpointCore
import Scanners
import Testing

@Suite("Serial scanner framing, AIM identifiers and encodings")
struct SerialScannerDecodingTests {
    @Test("GBK payloads from a recorded stream decode to the Chinese text, keeping the GBK bytes")
    func gbk() throws {
        let bytes = try CaptureFiles.bytes("serial-gbk.serial")
        let expected = try CaptureFiles.strings("serial-gbk.json")
        var d = SerialScanDecoder(device: "tty", framing: ScanFraming(suffix: [0x0D, 0x0A]), rules: PayloadRules(encoding: .gbk))
        // One byte at a time: a CR LF suffix split across reads must still end the frame.
        var out: [ScanOutcome] = []
        for b in bytes { out += d.feed([b], at: .zero) }
        let scans = out.compactMap(\.scan)
        #expect(scans.map(\.text) == expected)
        #expect(scans.first?.symbology == .qr)
        #expect(scans.first?.bytes == expected.first.flatMap { CharsetDecoder.encode($0, charset: "GBK") })
        // GBK uses two bytes per Chinese character, UTF-8 three: the bytes are the device's.
        let first = try #require(scans.first)
        #expect(first.bytes.count < first.text.utf8.count)
    }

    @Test("The same GBK bytes read as UTF-8 are rejected as an invalid encoding with the offset")
    func gbkAsUTF8() throws {
        let bytes = try CaptureFiles.bytes("serial-gbk.serial")
        var d = SerialScanDecoder(device: "tty", framing: ScanFraming(suffix: [0x0D, 0x0A]), rules: PayloadRules(encoding: .utf8))
        let out = d.feed(bytes, at: .zero)
        #expect(out.count == 2)
        #expect(out.allSatisfy { $0.rejection?.reason.code == "invalidEncoding" })
        if case .invalidEncoding(_, let offset)? = out.first?.rejection?.reason { #expect(offset == 0) }
    }

    @Test("AIM identifiers name the symbology: ]Q1 QR, ]E0 EAN-13, ]E4 EAN-8, ]C1 GS1-128, ]C0 Code 128, ]d1 Data Matrix")
    func aimIdentifiers() {
        let cases: [(String, Symbology)] = [("]Q1", .qr), ("]E0", .ean13), ("]E4", .ean8), ("]C1", .gs1_128), ("]C0", .code128),
                                            ("]d1", .dataMatrix), ("]L0", .pdf417), ("]z0", .aztec), ("]A0", .code39), ("]X0", .unknown)]
        var d = SerialScanDecoder(device: "tty")
        for (aim, symbology) in cases {
            let out = d.feed(Array((aim + "12345\r").utf8), at: .zero)
            #expect(out.first?.scan?.symbology == symbology, "\(aim)")
            #expect(out.first?.scan?.aimID == aim)
            #expect(out.first?.scan?.text == "12345")
        }
    }

    @Test("A configured prefix is stripped, and a frame without it is rejected as missingPrefix")
    func prefix() {
        var d = SerialScanDecoder(device: "tty", framing: ScanFraming(prefix: [0x02], suffix: [0x03]))
        let out = d.feed([0x02] + Array("]Q1abc".utf8) + [0x03] + Array("]Q1xyz".utf8) + [0x03], at: .zero)
        #expect(out.first?.scan?.text == "abc")
        #expect(out.last?.rejection?.reason == .missingPrefix)
    }

    @Test("An overlong frame is rejected once as tooLong, the rest of it skipped, and the next frame decodes")
    func overlong() {
        var d = SerialScanDecoder(device: "tty", rules: PayloadRules(maxBytes: 10))
        let long = Array("]Q1".utf8) + [UInt8](repeating: 0x41, count: 50) + [0x0D]
        let out = d.feed(long + Array("]Q1ok\r".utf8), at: .zero)
        #expect(out.count == 2)
        #expect(out.first?.rejection?.reason.code == "tooLong")
        #expect(out.last?.scan?.text == "ok")
    }

    @Test("A payload exactly at the limit passes and one byte more is rejected: nothing is truncated")
    func limitBoundary() {
        var d = SerialScanDecoder(device: "tty", framing: ScanFraming(aimIdentifiers: false))
        let max = FieldLimits.maxCredentialPayloadBytes
        let atLimit = d.feed([UInt8](repeating: 0x31, count: max) + [0x0D], at: .zero)
        #expect(atLimit.first?.scan?.bytes.count == max)
        let over = d.feed([UInt8](repeating: 0x31, count: max + 1) + [0x0D], at: .zero)
        #expect(over.first?.rejection?.reason == .tooLong(bytes: max + 1, limit: max))
    }

    @Test("Control characters other than GS are rejected with the character and its offset")
    func controlCharacters() {
        var d = SerialScanDecoder(device: "tty", framing: ScanFraming(aimIdentifiers: false))
        let out = d.feed(Array("ab\u{07}c\r01\u{1D}17\r".utf8) + [0xC2, 0x85, 0x0D], at: .zero)
        #expect(out.first?.rejection?.reason == .controlCharacter(scalar: 0x07, offset: 2))
        #expect(out.dropFirst().first?.scan?.text == "01\u{1D}17")
        #expect(out.last?.rejection?.reason == .controlCharacter(scalar: 0x85, offset: 0))
    }

    @Test("Without a suffix, silence ends a frame; with one, a partial frame is discarded as noise after silence")
    func idle() {
        var noSuffix = SerialScanDecoder(device: "tty", framing: ScanFraming(suffix: []), interByteGap: .milliseconds(50))
        _ = noSuffix.feed(Array("]E06901234567892".utf8), at: .seconds(1))
        #expect(noSuffix.idle(at: .seconds(1) + .milliseconds(49)).isEmpty)
        #expect(noSuffix.idle(at: .seconds(1) + .milliseconds(50)).first?.scan?.symbology == .ean13)
        var withSuffix = SerialScanDecoder(device: "tty", interByteGap: .milliseconds(50))
        _ = withSuffix.feed(Array("]Q1par".utf8), at: .seconds(1))
        let out = withSuffix.feed(Array("]Q1next\r".utf8), at: .seconds(2))
        #expect(out.map { $0.rejection?.reason.code ?? $0.scan?.text } == ["noise", "next"])
    }

    @Test("Garbage bytes without a suffix never make a scan and are reported when the device is lost")
    func garbageThenLost() {
        var d = SerialScanDecoder(device: "tty")
        #expect(d.feed([0xFF, 0x00, 0x80, 0x5D], at: .zero).isEmpty)
        #expect(d.deviceLost().first?.rejection?.reason == .incomplete(bytes: 4, cause: "device lost"))
        #expect(!d.hasPartialFrame)
    }
}

@Suite("Serial scanner framing on a noisy line")
struct NoisyLineFramingTests {
    let scan = Array("]Q1https://hc.example/p/42\r".utf8)

    @Test("Junk that arrives more than the inter-byte gap before a scan is discarded as noise and the scan survives")
    func junkBeforeGap() {
        var d = SerialScanDecoder(device: "tty", interByteGap: .milliseconds(50))
        #expect(d.feed([0xA7, 0x13, 0x5D, 0x00], at: .seconds(1)).isEmpty)
        let out = d.feed(scan, at: .seconds(1) + .milliseconds(75))
        #expect(out.map { $0.rejection?.reason.code ?? $0.scan?.text } == ["noise", "https://hc.example/p/42"])
    }

    @Test("Junk within the gap is cut off at the AIM identifier: counted as noise, the scan survives")
    func junkWithinGapResynchronises() {
        var d = SerialScanDecoder(device: "tty", interByteGap: .milliseconds(50))
        _ = d.feed(Array("x7]\u{1}q".utf8) + [0xFE, 0xC3], at: .seconds(1))
        let out = d.feed(scan, at: .seconds(1) + .milliseconds(20))
        #expect(out.count == 2)
        #expect(out.first?.rejection?.reason == .noise(bytes: 7, cause: "bytes before the frame start"))
        #expect(out.last?.scan?.text == "https://hc.example/p/42")
        #expect(out.last?.scan?.symbology == .qr)
    }

    @Test("Junk that looks like an AIM identifier is skipped when what follows it does not decode")
    func fakeIdentifierInJunk() {
        var d = SerialScanDecoder(device: "tty")
        let out = d.feed([0x5D, 0x41, 0x30, 0xFF, 0x00, 0x9C] + scan, at: .zero)
        #expect(out.last?.scan?.text == "https://hc.example/p/42")
        #expect(out.first?.rejection?.reason.code == "noise")
    }

    @Test("A terminated frame without the AIM identifier the model sends is rejected and asks for a rescan")
    func missingIdentifier() {
        var d = SerialScanDecoder(device: "tty")
        let out = d.feed(Array("garbage\r".utf8), at: .zero)
        #expect(out.first?.rejection?.reason == .missingIdentifier)
        #expect(out.first?.rejection?.reason.asksForRescan == true)
    }

    @Test("Noise and empty frames never ask a person to scan again")
    func noiseIsSilent() {
        #expect(!ScanRejectionReason.noise(bytes: 3, cause: "x").asksForRescan)
        #expect(!ScanRejectionReason.empty.asksForRescan)
        #expect(ScanRejectionReason.invalidEncoding(encoding: "UTF-8", offset: 0).asksForRescan)
    }

    @Test("Seeded junk bursts of 1–200 bytes, with and without CR, 20–100 ms before scans never cost a scan its decision")
    func seededJunkBursts() {
        var rng = SplitMix64(state: 0x5EED_0009)
        var d = SerialScanDecoder(device: "tty", interByteGap: .milliseconds(50))
        var now: Duration = .seconds(1)
        var decoded: [String] = []
        var sent: [String] = []
        for i in 0..<500 {
            var junk = (0..<Int.random(in: 1...200, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            if Bool.random(using: &rng) { junk.append(Bool.random(using: &rng) ? 0x0D : 0x0A) }
            decoded += d.feed(junk, at: now).compactMap(\.scan?.text)
            now += .milliseconds(Int64.random(in: 20...100, using: &rng))
            let code = "https://hc.example/p/\(i)"
            sent.append(code)
            decoded += d.feed(Array("]Q1\(code)\r".utf8), at: now).compactMap(\.scan?.text)
            now += .milliseconds(400)
        }
        let valid = decoded.filter { sent.contains($0) }
        #expect(Set(valid).count == valid.count, "no scan decoded twice")
        #expect(Double(valid.count) >= 0.99 * Double(sent.count), "\(valid.count) of \(sent.count) scans decoded")
    }
}
