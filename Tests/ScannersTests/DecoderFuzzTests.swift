import CheckpointCore
import Control
import DeviceSimulators
import Scanners
import Testing

/// A small deterministic generator so a failure can be reproduced from its seed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("Random bytes into every decoder and parser")
struct DecoderFuzzTests {
    static let seeds: [UInt64] = [1, 2, 3, 0xC0FFEE, 2020]

    func randomBytes(_ rng: inout SplitMix64, max: Int, alphabet: [UInt8]? = nil) -> [UInt8] {
        let n = Int.random(in: 0...max, using: &rng)
        if let alphabet { return (0..<n).map { _ in alphabet.randomElement(using: &rng) ?? 0 } }
        return (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) }
    }

    /// Every outcome is a valid scan or a rejection with a reason; returns how many of each.
    func check(_ outcomes: [ScanOutcome], rules: PayloadRules) -> (scans: Int, rejections: Int) {
        var s = 0, r = 0
        for o in outcomes {
            switch o {
            case .scan(let scan):
                s += 1
                #expect(!scan.bytes.isEmpty && scan.bytes.count <= rules.maxBytes)
                #expect(scan.text.utf8.count <= rules.maxBytes)
                #expect(!scan.text.unicodeScalars.contains { PayloadRules.isControl($0.value) && !rules.allowedControlCharacters.contains($0.value) })
            case .rejected(let rejection):
                r += 1
                #expect(!rejection.reason.code.isEmpty)
                #expect(!rejection.reason.description.isEmpty)
                #expect(rejection.sample.count <= ScanRejection.sampleLimit)
            }
        }
        return (s, r)
    }

    @Test("Random bytes into the serial decoder (UTF-8 and GBK) never crash; every rejection has a reason", arguments: seeds)
    func serial(seed: UInt64) {
        var rng = SplitMix64(state: seed)
        for encoding in ScanTextEncoding.allCases {
            let rules = PayloadRules(maxBytes: 64, encoding: encoding)
            var d = SerialScanDecoder(device: "fuzz", framing: ScanFraming(prefix: seed % 2 == 0 ? [0x02] : [], suffix: [0x0D]), rules: rules,
                                      interByteGap: .milliseconds(50))
            var out: [ScanOutcome] = []
            var t = Duration.zero
            for _ in 0..<400 {
                t += .milliseconds(Int.random(in: 0...80, using: &rng))
                // Bias towards CR and ASCII so frames end and some scans pass.
                let chunk = randomBytes(&rng, max: 40, alphabet: Bool.random(using: &rng) ? nil : Array(0x0D...0x0D) + Array(0x20...0x7E) + [0x5D, 0xB0, 0xA1])
                out += d.feed(chunk, at: t)
            }
            out += d.deviceLost()
            let (s, r) = check(out, rules: rules)
            #expect(s + r > 0)
        }
    }

    @Test("Random input events into the keyboard-wedge decoder never crash; every rejection has a reason", arguments: seeds)
    func wedge(seed: UInt64) {
        var rng = SplitMix64(state: seed)
        for page in AltCodePage.allCases {
            let rules = PayloadRules(maxBytes: 64)
            var d = KeyboardWedgeDecoder(device: "fuzz", terminator: WedgeTerminator.allCases.randomElement(using: &rng) ?? .enter,
                                         interKeyTimeout: .milliseconds(40), altCodePage: page, rules: rules)
            var stream = InputEventStream()
            var out: [ScanOutcome] = []
            // Raw garbage bytes, including absurd timestamps.
            out += d.feed(events: stream.feed(randomBytes(&rng, max: 24 * 50)))
            // Structured random key events: plausible codes, values 0…2, shuffled modifiers.
            var t = Duration.seconds(1)
            for _ in 0..<2000 {
                t += .milliseconds(Int.random(in: 0...50, using: &rng))
                let code = UInt16.random(in: 0...130, using: &rng)
                let value = Int32.random(in: -1...3, using: &rng)
                out += d.feed(InputEvent(time: t, type: UInt16.random(in: 0...2, using: &rng) == 0 ? 0 : 1, code: code, value: value))
            }
            out += d.idle(at: t + .seconds(1))
            out += d.deviceLost()
            let (s, r) = check(out, rules: rules)
            #expect(s + r > 0)
        }
    }

    @Test("Random reports into the HID POS decoder (both layouts) never crash; every rejection has a reason", arguments: seeds)
    func hidpos(seed: UInt64) {
        var rng = SplitMix64(state: seed)
        for layout in [HIDPOSLayout.honeywell, .newland] {
            let rules = PayloadRules(maxBytes: 200)
            var d = HIDPOSDecoder(device: "fuzz", layout: layout, rules: rules, packetTimeout: .milliseconds(30))
            var out: [ScanOutcome] = []
            var t = Duration.zero
            for _ in 0..<500 {
                t += .milliseconds(Int.random(in: 0...40, using: &rng))
                var r = randomBytes(&rng, max: 70)
                if !r.isEmpty && Bool.random(using: &rng) { r[0] = 0x02 }
                if r.count > 1 && Bool.random(using: &rng) { r[1] = UInt8.random(in: 0...60, using: &rng) }
                out += d.feed(report: r, at: t)
            }
            out += d.deviceLost()
            let (s, r) = check(out, rules: rules)
            #expect(r > 0)
            _ = s
        }
    }

    @Test("Random bytes into the configuration parsers, sessions and simulated devices never crash", arguments: seeds)
    func configuration(seed: UInt64) throws {
        var rng = SplitMix64(state: seed)
        var gm65 = GM65Device()
        var honeywell = HoneywellMenuDevice()
        var zebra = ZebraSSIDevice()
        for _ in 0..<300 {
            let junk = randomBytes(&rng, max: 80, alphabet: Bool.random(using: &rng) ? nil : [0x7E, 0x00, 0x02, 0x16, 0x4D, 0x0D, 0x06, 0x21, 0x2E, 0x3B, 0x04, 0xC6, 0xD0])
            _ = GM65CommandSet.parseReply(junk)
            _ = GM65CommandSet.parseCommand(junk)
            _ = HoneywellMenuCommandSet.parseReply(junk)
            _ = ZebraSSICommandSet.parse(junk)
            _ = gm65.receive(junk)
            _ = honeywell.receive(junk)
            _ = zebra.receive(junk)
            _ = AIMIdentifier(prefixOf: junk)
            _ = CharsetDecoder.decode(junk, charset: "GBK")
            _ = CharsetDecoder.decodeUTF8(junk)
            for set in ScannerCommandSet.allCases {
                var session = try ScannerConfiguration.session(set, .save)
                _ = session.start()
                var finished = false
                for _ in 0..<3 where !finished {
                    switch session.receive(randomBytes(&rng, max: 30)) {
                    case .finished(let report), .sendAndFinish(_, let report):
                        finished = true
                        if !report.accepted { #expect(report.failure?.isEmpty == false) }
                    case .send, .needMoreBytes: break
                    }
                }
            }
        }
    }

    @Test("Random control-socket arguments for scanner.configure are refused with a message, never a crash", arguments: seeds)
    func controlArguments(seed: UInt64) {
        var rng = SplitMix64(state: seed)
        let words = ["aim", "suffix", "save", "on", "off", "none", "0D0A", "zz", "gm65", "honeywell", "zebra-ssi", "", "/dev/ttyUSB0", String(repeating: "0D", count: 30)]
        for _ in 0..<500 {
            var a: [String: String] = [:]
            for key in ["device", "commandSet", "action", "value"] where Bool.random(using: &rng) {
                a[key] = words.randomElement(using: &rng)
            }
            do throws(ScannerConfigurationError) {
                let r = try ScannerControl.Request(arguments: a)
                #expect(try ScannerControl.Request(arguments: r.arguments) == r)
            } catch {
                #expect(!error.description.isEmpty)
            }
        }
    }
}
