import CheckpointCore
import DeviceFamilies
import Foundation
import Scanners
import Testing

@Suite("Keyboard-wedge decoding of evdev key events")
struct KeyboardWedgeDecodingTests {
    func decodeAll(_ bytes: [UInt8], decoder: KeyboardWedgeDecoder, chunk: Int = 24) -> [ScanOutcome] {
        var d = decoder
        var stream = InputEventStream()
        var out: [ScanOutcome] = []
        var i = 0
        while i < bytes.count {
            let end = min(bytes.count, i + chunk)
            out += d.feed(events: stream.feed(bytes[i..<end]))
            i = end
        }
        return out
    }

    @Test("A recorded US-layout stream yields shifted symbols, Caps Lock letters and autorepeat characters exactly")
    func shiftedSymbols() throws {
        let bytes = try CaptureFiles.bytes("wedge-us-shifted.evdev")
        #expect(bytes.count % InputEvent.size == 0)
        // Odd chunk sizes: events split across reads must still decode.
        let out = decodeAll(bytes, decoder: KeyboardWedgeDecoder(device: "evdev:test"), chunk: 37)
        let scans = out.compactMap(\.scan)
        #expect(out.count == 3)
        #expect(scans.count == 3)
        #expect(scans.first?.text == "Id:AB-12_{x}!@#$%^&*()+|~<>?\"")
        #expect(scans.first?.aimID == "]Q1")
        #expect(scans.first?.symbology == .qr)
        #expect(scans.dropFirst().first?.text == "CAPSx-9")
        #expect(scans.dropFirst().first?.symbology == .unknown)
        #expect(scans.last?.text == "reppp")
    }

    @Test("Alt + keypad digits follow the Windows convention: Alt+0nnn is CP1252, Alt+nnn is CP437")
    func altCodesWindows() throws {
        let out = decodeAll(try CaptureFiles.bytes("wedge-altcodes-windows.evdev"), decoder: KeyboardWedgeDecoder(device: "w"))
        #expect(out.compactMap(\.scan).map(\.text) == ["Müller-été"])
    }

    @Test("Alt + keypad GBK codes rebuild Chinese characters when the model's Alt code page is GBK")
    func altCodesGBK() throws {
        let bytes = try CaptureFiles.bytes("wedge-altcodes-gbk.evdev")
        let gbk = decodeAll(bytes, decoder: KeyboardWedgeDecoder(device: "w", altCodePage: .gbk))
        #expect(gbk.compactMap(\.scan).map(\.text) == ["张三"])
        // The same keys under the Windows convention are numbers above 255: a counted rejection, not a guess.
        let windows = decodeAll(bytes, decoder: KeyboardWedgeDecoder(device: "w", altCodePage: .windows))
        #expect(windows.compactMap(\.scan).isEmpty)
        #expect(windows.compactMap(\.rejection).map(\.reason.code) == ["invalidAltCode"])
    }

    @Test("Alt + keypad digits as Unicode scalar values type any character")
    func altCodesUnicode() {
        var d = KeyboardWedgeDecoder(device: "w", altCodePage: .unicode)
        var t = Duration.seconds(10)
        func key(_ c: UInt16, _ v: Int32) -> [ScanOutcome] { t += .milliseconds(1); return d.feed(.key(c, v, at: t)) }
        var out: [ScanOutcome] = []
        out += key(EvdevKeyCode.leftAlt, 1)
        for digit: UInt8 in [2, 0, 3, 2, 0] { // U+4F60 你 = 20320
            let code = EvdevKeyCode.keypadDigits.first { $0.value == digit }!.key
            out += key(code, 1); out += key(code, 0)
        }
        out += key(EvdevKeyCode.leftAlt, 0)
        out += key(EvdevKeyCode.enter, 1)
        #expect(out.compactMap(\.scan).map(\.text) == ["你"])
    }

    @Test("A key the layout has no character for rejects that scan with unknownKey, and the next scan decodes")
    func unknownKey() {
        var d = KeyboardWedgeDecoder(device: "w")
        var t = Duration.seconds(1)
        var out: [ScanOutcome] = []
        func tap(_ c: UInt16) { t += .milliseconds(2); out += d.feed(.key(c, 1, at: t)); out += d.feed(.key(c, 0, at: t)) }
        tap(30); tap(59 /* F1 */); tap(31); tap(EvdevKeyCode.enter)
        tap(30); tap(EvdevKeyCode.enter)
        #expect(out.count == 2)
        #expect(out.first?.rejection?.reason == .unknownKey(code: 59))
        #expect(out.last?.scan?.text == "a")
    }

    @Test("The German layout from its data file decodes QWERTZ letters, umlauts and AltGr symbols")
    func germanLayout() throws {
        let path = BuildProductsPaths.repository.appendingPathComponent("Devices/scanners/layouts/de.layout").path
        let de = try KeyboardLayout.load(path: path)
        let encoder = KeyboardWedgeEncoderForTests(layout: de)
        let text = "Größe-Maß_y@z{€}|<>"
        let events = try #require(encoder.events(text))
        var d = KeyboardWedgeDecoder(device: "w", layout: de)
        let out = d.feed(events: events)
        #expect(out.compactMap(\.scan).map(\.text) == [text])
        // The same key events read with the US layout give different text: the layout matters.
        var us = KeyboardWedgeDecoder(device: "w")
        #expect(us.feed(events: events).compactMap(\.scan).map(\.text) != [text])
    }

    @Test("With no terminator the inter-key timeout measured on the events' timestamps ends a scan")
    func timeoutTerminator() {
        var d = KeyboardWedgeDecoder(device: "w", terminator: .none, interKeyTimeout: .milliseconds(100))
        var out: [ScanOutcome] = []
        var t = Duration.seconds(5)
        for code: UInt16 in [2, 3, 4] { t += .milliseconds(5); out += d.feed(.key(code, 1, at: t)); out += d.feed(.key(code, 0, at: t)) }
        #expect(out.isEmpty)
        out += d.idle(at: t + .milliseconds(99))
        #expect(out.isEmpty)
        out += d.idle(at: t + .milliseconds(100))
        #expect(out.compactMap(\.scan).map(\.text) == ["123"])
    }

    @Test("With Enter as terminator a scan left unfinished past the timeout is discarded and counted as incomplete")
    func staleScanDiscarded() {
        var d = KeyboardWedgeDecoder(device: "w", terminator: .enter, interKeyTimeout: .milliseconds(100))
        var t = Duration.seconds(5)
        var out = d.feed(.key(2, 1, at: t))
        t += .seconds(1)
        out += d.feed(.key(3, 1, at: t))
        out += d.feed(.key(EvdevKeyCode.enter, 1, at: t))
        #expect(out.compactMap(\.rejection).map(\.reason.code) == ["incomplete"])
        #expect(out.compactMap(\.scan).map(\.text) == ["2"])
    }

    @Test("Tab as terminator ends a scan; Ctrl+] types GS which GS1 payloads may carry")
    func tabAndControl() {
        var d = KeyboardWedgeDecoder(device: "w", terminator: .tab)
        var t = Duration.seconds(1)
        var out: [ScanOutcome] = []
        func ev(_ c: UInt16, _ v: Int32) { t += .milliseconds(1); out += d.feed(.key(c, v, at: t)) }
        ev(2, 1); ev(2, 0)
        ev(EvdevKeyCode.leftCtrl, 1); ev(27, 1); ev(27, 0); ev(EvdevKeyCode.leftCtrl, 0)
        ev(3, 1); ev(3, 0)
        ev(EvdevKeyCode.tab, 1)
        #expect(out.compactMap(\.scan).map(\.text) == ["1\u{1D}2"])
    }

    @Test("The French AZERTY layout file decodes accented letters on the digit row and Shift for digits")
    func frenchLayout() throws {
        let path = BuildProductsPaths.repository.appendingPathComponent("Devices/scanners/layouts/fr.layout").path
        let fr = try KeyboardLayout.load(path: path)
        #expect(fr.character(for: 3, shift: false, capsLock: false, altGr: false) == "é")
        #expect(fr.character(for: 3, shift: true, capsLock: false, altGr: false) == "2")
        #expect(fr.character(for: 3, shift: false, capsLock: true, altGr: false) == "é") // Caps Lock acts on letters only
        #expect(fr.character(for: 16, shift: false, capsLock: true, altGr: false) == "A")
        let text = "Zoé-2020@àù;m"
        let events = try #require(KeyboardWedgeEncoderForTests(layout: fr).events(text))
        var d = KeyboardWedgeDecoder(device: "w", layout: fr)
        #expect(d.feed(events: events).compactMap(\.scan).map(\.text) == [text])
    }
}

@Suite("Keyboard-wedge decoding when the kernel drops events")
struct KeyboardWedgeDroppedEventsTests {
    @Test("Key events the kernel dropped (SYN_DROPPED) make that scan a counted incomplete rejection, never a shortened scan")
    func droppedEvents() throws {
        let encoder = KeyboardWedgeEncoderForTests(layout: .us)
        let first = try #require(encoder.events("https://hc.example/first", start: .seconds(100)))
        let second = try #require(encoder.events("https://hc.example/second", start: .seconds(101)))
        // The kernel's overflow: the first two thirds of the first scan are gone, SYN_DROPPED stands in their place.
        let survivors = Array(first.suffix(first.count / 3))
        let drop = InputEvent(time: survivors[0].time, type: InputEvent.typeSync, code: InputEvent.synDropped, value: 0)
        var decoder = KeyboardWedgeDecoder(device: "evdev:test", framing: ScanFraming(prefix: [], suffix: [], aimIdentifiers: false))
        let out = decoder.feed(events: [drop] + survivors + second)
        #expect(out.count == 2)
        guard case .rejected(let rejection)? = out.first else { Issue.record("expected a rejection, got \(out)"); return }
        guard case .incomplete(_, let cause) = rejection.reason else { Issue.record("expected incomplete, got \(rejection.reason)"); return }
        #expect(cause == KeyboardWedgeDecoder.droppedCause)
        #expect(out.last?.scan?.text == "https://hc.example/second", "the next scan is whole again")
    }
}
