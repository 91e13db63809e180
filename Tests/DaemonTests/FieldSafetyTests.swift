import CheckpointCore
import Foundation
import Journal
import TestSupport
import Testing

/// The real `checkpointd` against independent device peers (`GatePeople`: an LU90614 thermometer
/// answering each measure request with the temperature of whoever stands in front of it, and a
/// serial QR scanner), offline (no central store): fresh input, pairing certainty, noise and
/// unplugs (docs/gate.md, "Field safety").
@Suite("Field safety: checkpointd never pairs a person with someone else's temperature", .serialized)
struct FieldSafetyTests {
    /// A gate in `dir` with one lane `north-in` over the peer's links. The catalog is a copy of
    /// `Devices/` whose LU90614 is polled every 200 ms, so people need not wait a second each.
    struct Gate {
        let dir: URL
        let config: String
        let socket: String
        let journalPath: String
        private(set) var daemon: Process?
        private var starts = 0

        /// - Parameter skinThermometer: the thermometer is a catalog model `lu90614-skin` (the LU90614 in
        ///   object mode, kind surface, declaring `toBody = { offset = 2.5 }`) instead of `lu90614`.
        init(dir: URL, people: GatePeople, thermometer: Bool = true, requireTemperature: Bool = true,
             skinThermometer: Bool = false) throws {
            self.dir = dir
            let catalog = dir.appendingPathComponent("Devices")
            try FileManager.default.copyItem(at: BuildProducts.packageRoot.appendingPathComponent("Devices"), to: catalog)
            let lu = catalog.appendingPathComponent("thermometers/lu90614.toml")
            let text = try String(contentsOf: lu, encoding: .utf8)
                .replacingOccurrences(of: "pollMs = 1000", with: "pollMs = 200")
                .replacingOccurrences(of: "timeoutMs = 300", with: "timeoutMs = 150")
            try text.write(to: lu, atomically: true, encoding: .utf8)
            if skinThermometer {
                let skin = text.replacingOccurrences(of: "model = \"lu90614\"", with: "model = \"lu90614-skin\"")
                    .replacingOccurrences(of: "usb = [\"1a86:7523\"]", with: "usb = [\"1a86:0001\"]")
                    .replacingOccurrences(of: "mode = \"body\"", with: "mode = \"object\"")
                    .replacingOccurrences(of: "kind = \"body\"", with: "kind = \"surface\"\ntoBody = { offset = 2.5 }")
                try skin.write(to: catalog.appendingPathComponent("thermometers/lu90614-skin.toml"), atomically: true, encoding: .utf8)
            }
            config = dir.appendingPathComponent("checkpoint.toml").path
            socket = dir.appendingPathComponent("control.sock").path
            journalPath = dir.appendingPathComponent("journal.sqlite").path
            try """
            gate = "field-1"
            catalog = "\(catalog.path)"

            [[device]]
            id = "north"
            model = "\(skinThermometer ? "lu90614-skin" : "lu90614")"
            path = "\(people.thermometer)"

            [[device]]
            id = "scan-1"
            model = "honeywell-serial"  # a serial scanner that sends AIM identifiers, as the peer does
            path = "\(people.scanner)"

            [[lane]]
            id = "north-in"
            direction = "in"
            scanner = "scan-1"
            \(thermometer ? "thermometer = \"north\"" : "")
            relay = { simulated = "relay-north", pulseMs = 100 }

            [policy]
            pairingWindowMs = 3000
            readingMaxAgeMs = 3000
            readingWithoutScan = "ignore"
            requireTemperature = \(requireTemperature)
            [[policy.credentialRule]]
            prefix = "https://hc.example/"
            action = "accept"

            [journal]
            path = "\(journalPath)"
            minimumFreeMB = 0
            """.write(toFile: config, atomically: true, encoding: .utf8)
        }

        /// Starts checkpointd and waits until its gate answers on the control socket.
        mutating func start() async throws {
            starts += 1
            daemon = try CheckpointdGateTests().startDaemon(config: config, socket: socket,
                                                           log: dir.appendingPathComponent("daemon-\(starts).log"))
            let socket = self.socket
            let up = await waitUntilBlocking(within: .seconds(15)) { (try? runBuilt("checkpointctl", ["gate", "status", "--socket", socket]))?.0 == 0 }
            try #require(up, "checkpointd start \(starts) answers gate.status")
        }

        func killNine() {
            guard let d = daemon, d.isRunning else { return }
            kill(d.processIdentifier, SIGKILL)
            d.waitUntilExit()
        }

        func stop() async {
            guard let d = daemon, d.isRunning else { return }
            d.terminate()
            _ = await waitUntil(within: .seconds(10)) { !d.isRunning }
        }

        /// Every journaled entry, in seq order (read from the file, as an operator would).
        func entries() -> [EntryRecord] {
            guard let reader = try? JournalReader(path: journalPath), let state = try? reader.state(), state.lastSeq > 0 else { return [] }
            return (try? reader.latest(Int(state.lastSeq))) ?? []
        }

        func entry(for code: String) -> EntryRecord? { entries().first { $0.credential?.payload == code } }

        /// `gate.status`'s rejected scans by reason (checkpointctl runs off the concurrency pool).
        func rejectedScans() async -> [String: Int] {
            let socket = self.socket
            let out = (try? await offPool { (try? runBuilt("checkpointctl", ["gate", "status", "--socket", socket, "--json"]))?.1 ?? "" }) ?? ""
            let json = (try? JSONSerialization.jsonObject(with: Data(out.utf8))) as? [String: Any]
            return json?["rejectedScans"] as? [String: Int] ?? [:]
        }
    }

    static func code(_ name: String) -> String { "https://hc.example/\(name)-\(UUID().uuidString.prefix(8))" }

    /// One person, the gate up: steps in front of the thermometer, waits to be measured, scans,
    /// waits for their entry, leaves.
    static func person(_ celsius: Double, _ people: GatePeople, _ gate: Gate) async throws -> EntryRecord {
        let code = code("p")
        let measuredBefore = people.measurements
        await people.send(String(format: "stand %.2f", celsius))
        #expect(await people.waitForMeasurement(of: celsius, after: measuredBefore))
        await people.send("scan \(code)")
        var found: EntryRecord?
        _ = await waitUntil(within: .seconds(10)) { found = gate.entry(for: code); return found != nil }
        await people.send("leave")
        return try #require(found, "an entry for \(code)")
    }

    @Test("A scan and a thermometer reply left on the lines while checkpointd was stopped never become an entry")
    func staleInputIsDiscarded() async throws {
        let dir = try TestEnvironment.temporaryDirectory("field-stale")
        let people = try await GatePeople.start(directory: dir)
        defer { people.stop() }
        var gate = try Gate(dir: dir, people: people)
        defer { gate.killNine() }

        // While the gate is down: a person with fever scans, and a reply for them sits on the line.
        let feverish = Self.code("fever")
        await people.send("stand 38.91")
        await people.send("scan \(feverish)")
        await people.send("reply 38.91")
        await people.send("leave")

        try await gate.start()
        let next = try await Self.person(36.60, people, gate)
        #expect(abs((next.temperature?.celsius ?? 0) - 36.60) < 0.006, "the next person is decided with their own temperature")
        #expect(next.decision == .admit)
        let entries = gate.entries()
        #expect(!entries.contains { $0.credential?.payload == feverish }, "the scan made while the gate was down is not decided")
        #expect(!entries.contains { ($0.temperature?.celsius ?? 0) > 38.0 }, "the reply buffered while down is no one's reading")
    }

    @Test("Killed with -9 at random moments while people stream through: no entry is admitted with another person's reading")
    func restartsNeverMispair() async throws {
        let dir = try TestEnvironment.temporaryDirectory("field-restart")
        let people = try await GatePeople.start(directory: dir)
        defer { people.stop() }
        var gate = try Gate(dir: dir, people: people)
        defer { gate.killNine() }
        var temperatureOf: [String: Double] = [:]
        try await gate.start()
        for round in 0..<4 {
            for i in 0..<4 {
                let celsius = (round + i) % 3 == 0 ? Double.random(in: 38.0...39.5) : Double.random(in: 36.0...37.1)
                let rounded = (celsius * 100).rounded() / 100
                let code = Self.code("r\(round)-\(i)")
                temperatureOf[code] = rounded
                let measuredBefore = people.measurements
                await people.send(String(format: "stand %.2f", rounded))
                _ = await people.waitForMeasurement(of: rounded, after: measuredBefore)
                await people.send("scan \(code)")
                try await Task.sleep(for: .milliseconds(Int.random(in: 50...350)))  // the person walks on
                await people.send("leave")
            }
            // Killed at a random moment after the last person, who may still be waiting on pairing.
            try await Task.sleep(for: .milliseconds(Int.random(in: 0...300)))
            gate.killNine()
            // Someone with a fever steps up and scans while the gate is down; a reply waits on the line.
            let down = Self.code("down\(round)")
            temperatureOf[down] = 39.2
            await people.send("stand 39.20")
            await people.send("scan \(down)")
            await people.send("reply 39.20")
            await people.send("leave")
            try await gate.start()
        }
        let last = try await Self.person(36.5, people, gate)
        temperatureOf[last.credential?.payload ?? ""] = 36.5
        await gate.stop()

        let entries = gate.entries().filter { $0.credential != nil }
        #expect(entries.count >= 8, "\(entries.count) people decided")
        #expect(entries.contains { $0.decision == .admit }, "the stream admits people")
        for e in entries {
            let code = try #require(e.credential?.payload)
            let own = try #require(temperatureOf[code], "only codes that were shown")
            if let t = e.temperature?.celsius {
                #expect(abs(t - own) < 0.006 || e.decision == .refer,
                        "\(code): decided \(e.decision) (\(e.reason)) with \(t) °C, their own is \(own) °C")
            }
            if own >= 37.3 { #expect(e.decision != .admit, "\(code) with \(own) °C is never admitted") }
            #expect(!code.contains("down"), "a scan made while the gate was down is never decided")
        }
    }

    @Test("With junk bursts 20–100 ms before scans, at least 99 % of the scans are decided once and the junk is counted")
    func junkBeforeScans() async throws {
        let dir = try TestEnvironment.temporaryDirectory("field-junk")
        let people = try await GatePeople.start(directory: dir)
        defer { people.stop() }
        var gate = try Gate(dir: dir, people: people, thermometer: false, requireTemperature: false)
        defer { gate.killNine() }
        try await gate.start()
        var rng = SystemRandomNumberGenerator()
        var codes: [String] = []
        for i in 0..<120 {
            var junk = (0..<Int.random(in: 1...200, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            switch i % 3 {
            case 0: junk.append(0x0D)
            case 1: junk.append(contentsOf: [0x0D, 0x0A])
            default: break
            }
            await people.send("raw " + junk.map { String(format: "%02x", $0) }.joined())
            try await Task.sleep(for: .milliseconds(Int.random(in: 20...100, using: &rng)))
            let code = Self.code("j\(i)")
            codes.append(code)
            await people.send("scan \(code)")
        }
        let decidedAll = await waitUntil(within: .seconds(20)) { Set(gate.entries().compactMap(\.credential?.payload)).isSuperset(of: codes) }
        let payloads = gate.entries().compactMap(\.credential?.payload)
        let decided = codes.filter { payloads.contains($0) }
        #expect(decidedAll || Double(decided.count) >= 0.99 * Double(codes.count), "\(decided.count) of \(codes.count) scans decided")
        #expect(decided.allSatisfy { c in payloads.filter { $0 == c }.count == 1 }, "each scan decided once")
        let rejected = await gate.rejectedScans()
        #expect((rejected["noise"] ?? 0) > 0 && rejected.values.reduce(0, +) >= codes.count / 2, "junk is counted: \(rejected)")
    }

    @Test("An unplugged thermometer makes scans thermometerMissing within 100 ms; after replug the lane decides normally")
    func unplugIsMissingAtOnce() async throws {
        let dir = try TestEnvironment.temporaryDirectory("field-unplug")
        let people = try await GatePeople.start(directory: dir)
        defer { people.stop() }
        var gate = try Gate(dir: dir, people: people)
        defer { gate.killNine() }
        try await gate.start()
        let before = try await Self.person(36.7, people, gate)
        #expect(before.decision == .admit && abs((before.temperature?.celsius ?? 0) - 36.7) < 0.006)

        // A scan waits for its reading (nobody in front yet) when the thermometer is unplugged.
        let waiting = Self.code("waiting")
        await people.send("scan \(waiting)")
        await people.send("unplug thermo")
        let unpluggedAt = Date()
        var first: EntryRecord?
        #expect(await waitUntil(within: .seconds(5)) { first = gate.entry(for: waiting); return first != nil })
        #expect(first?.reason == .thermometerMissing && first?.decision == .refer)
        if let at = first?.occurredAt { #expect(at.timeIntervalSince(unpluggedAt) < 0.1, "decided \(at.timeIntervalSince(unpluggedAt)) s after the unplug") }

        // A scan while it is unplugged is decided at once.
        let during = Self.code("during")
        let scannedAt = Date()
        await people.send("scan \(during)")
        var second: EntryRecord?
        #expect(await waitUntil(within: .seconds(5)) { second = gate.entry(for: during); return second != nil })
        #expect(second?.reason == .thermometerMissing)
        if let at = second?.occurredAt { #expect(at.timeIntervalSince(scannedAt) < 0.1, "decided \(at.timeIntervalSince(scannedAt)) s after the scan") }

        await people.send("replug thermo")
        let after = try await Self.person(36.8, people, gate)
        #expect(after.decision == .admit && abs((after.temperature?.celsius ?? 0) - 36.8) < 0.006,
                "normal decisions after the replug: \(after.reason), \(after.temperature?.celsius ?? -1) °C")
    }

    @Test("A surface thermometer whose model declares toBody feeds the fever rule through checkpointd")
    func surfaceToBodyFeedsTheFeverRule() async throws {
        let dir = try TestEnvironment.temporaryDirectory("field-skin")
        let people = try await GatePeople.start(directory: dir)
        defer { people.stop() }
        var gate = try Gate(dir: dir, people: people, skinThermometer: true)
        defer { gate.killNine() }
        try await gate.start()
        let warm = try await Self.person(35.0, people, gate)   // 35.0 °C skin → 37.5 °C body
        #expect(warm.temperature?.kind == .surface)
        #expect(warm.reason == .fever && warm.decision == .refer, "\(warm.reason)")
        let normal = try await Self.person(34.0, people, gate) // 34.0 °C skin → 36.5 °C body
        #expect(normal.reason == .admitted && normal.decision == .admit, "\(normal.reason)")
    }
}
