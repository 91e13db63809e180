import CheckpointCore
import Foundation
import Journal
import TestSupport
import Testing

/// `checkpointd` itself with a simulated thermometer (checkpoint-sim, real protocol on a PTY), a
/// simulated relay line and the REAL central store over loopback.
@Suite("checkpointd's gate path against checkpoint-sim and checkpoint-central", .serialized)
struct CheckpointdGateTests {
    func ctl(_ arguments: [String]) throws -> (Int32, String) { try runBuilt("checkpointctl", arguments) }

    /// checkpointctl's standard error for `arguments` ("" if it could not run).
    func ctlError(_ arguments: [String]) -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: BuildProducts.executable("checkpointctl"))
        p.arguments = arguments
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return "" }
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return text
    }

    func startDaemon(config: String, socket: String, log: URL) throws -> Process {
        try? FileManager.default.removeItem(atPath: socket)
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: BuildProducts.executable("checkpointd"))
        p.arguments = ["--config", config, "--control-socket", socket]
        p.standardError = try FileHandle(forWritingTo: log)
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        return p
    }

    /// checkpoint-sim with an LU90614 thermometer `north` (22.0 °C: nobody in front of it) and a GM65
    /// serial scanner `scanner` (AIM off) on PTYs in `dir`; returns the process and both links.
    static func startSimulatedDevices(in dir: URL) throws -> (sim: LineProcess, north: String, scanner: String) {
        let sim = try LineProcess("checkpoint-sim", ["run", "--catalog", BuildProducts.packageRoot.appendingPathComponent("Devices").path,
                                                     "--dir", dir.path, "--device", "lu90614:celsius=22.0,name=north",
                                                     "--device", "gm65:aim=on,name=scanner"])
        var links: [String: String] = [:]
        while let line = sim.readLine(), !line.hasPrefix("ready:") {
            let f = line.split(separator: "\t").map(String.init)
            if f.count >= 2 { links[f[0]] = f[1] }
        }
        guard let north = links["north"], let scanner = links["scanner"] else {
            sim.stop()
            throw CentralLoopback.Failure(description: "checkpoint-sim printed no links: \(links)")
        }
        return (sim, north, scanner)
    }

    /// checkpointd's configuration for one lane `north-in` (the thermometer and scanner at these links,
    /// a simulated relay, codes under `https://hc.example/` accepted), the journal in the central's
    /// temporary folder, the uplink to `central`; returns the file's path.
    /// - Parameter horn: whether the file has a `[horn]` section (the null ALSA device).
    static func writeConfiguration(central: CentralLoopback, thermometer north: String, scanner: String, horn: Bool = true) throws -> String {
        let dir = central.directory
        let hornSection = horn ? """
            [horn]
            device = "null"
            speechCache = "\(dir.appendingPathComponent("speech").path)"
            """ : ""
        let config = dir.appendingPathComponent("checkpoint.toml").path
        try """
        gate = "\(central.gate)"
        catalog = "\(BuildProducts.packageRoot.appendingPathComponent("Devices").path)"

        [[device]]
        id = "north"
        model = "lu90614"
        path = "\(north)"

        [[device]]
        id = "scan-1"
        model = "gm65"
        path = "\(scanner)"

        [[lane]]
        id = "north-in"
        direction = "in"
        scanner = "scan-1"
        thermometer = "north"
        relay = { simulated = "relay-north", pulseMs = 200 }

        [policy]
        pairingWindowMs = 600
        readingMaxAgeMs = 1500
        readingWithoutScan = "ignore"
        [[policy.credentialRule]]
        prefix = "https://hc.example/"
        action = "accept"

        [central]
        url = "\(central.url)"
        secretsFile = "\(central.secretsFile)"
        heartbeatSeconds = 1
        backoffInitialMs = 50
        backoffMaxMs = 300

        [journal]
        path = "\(dir.appendingPathComponent("journal.sqlite").path)"
        minimumFreeMB = 0

        \(hornSection)
        """.write(toFile: config, atomically: true, encoding: .utf8)
        return config
    }

    struct JournalStatus: Decodable {
        struct State: Decodable { var lastSeq: Int64; var ackedThrough: Int64; var journalEpoch: UUID }
        var state: State
        var latest: [EntryRecord]
    }

    func journalStatus(_ socket: String) throws -> JournalStatus? {
        let (status, out) = try ctl(["journal", "--socket", socket, "--json", "--last", "50"])
        guard status == 0 else { return nil }
        return try? CheckpointJSON.decoder().decode(JournalStatus.self, from: Data(out.utf8))
    }

    /// The last reading (°C) of the daemon's thermometer `north`, nil before one.
    func lastReading(_ socket: String) throws -> Double? {
        let (status, out) = try ctl(["thermometers", "--socket", socket, "--json"])
        struct Status: Decodable { var id: String; var lastReading: TemperatureReading? }
        guard status == 0, let statuses = try? JSONDecoder().decode([Status].self, from: Data(out.utf8)) else { return nil }
        return statuses.first { $0.id == "north" }?.lastReading?.celsius
    }

    @Test("checkpointd's decisions from simulated devices, across a kill -9 and restart, reach the real store gap-free")
    func daemonDecidesJournalsForwards() async throws {
        let central = try CentralLoopback()
        defer { central.cleanUp() }
        try await central.start()
        let dir = central.directory
        let (sim, north, scanner) = try Self.startSimulatedDevices(in: dir)
        defer { sim.stop() }
        let socket = dir.appendingPathComponent("control.sock").path
        let config = try Self.writeConfiguration(central: central, thermometer: north, scanner: scanner)

        var daemon = try startDaemon(config: config, socket: socket, log: dir.appendingPathComponent("daemon-1.log"))
        defer { if daemon.isRunning { kill(daemon.processIdentifier, SIGKILL); daemon.waitUntilExit() } }
        #expect(try await waitUntil(within: .seconds(10)) { try journalStatus(socket) != nil })
        let first = try #require(try journalStatus(socket))
        #expect(first.state.lastSeq == 0)

        /// A person steps up at `celsius` (nil: not measured) and scans `code`; returns the entry.
        func person(_ celsius: Double?, _ code: String, expectSeq seq: Int64) async throws -> EntryRecord? {
            if let celsius {
                _ = sim.send("north set \(celsius)")
                // The person is measured once the daemon has read the new temperature (not after a
                // fixed time: a loaded machine polls late).
                #expect(try await waitUntil { try lastReading(socket).map { abs($0 - celsius) < 0.05 } ?? false },
                        "north never read \(celsius) °C")
            }
            _ = sim.send("scanner scan \(code)")
            let ok = try await waitUntil(within: .seconds(10)) { (try journalStatus(socket)?.state.lastSeq ?? 0) >= seq }
            _ = sim.send("north set 22.0")
            guard ok else { return nil }
            return try journalStatus(socket)?.latest.first { $0.seq == seq }
        }

        let admitted = try #require(try await person(36.6, "https://hc.example/a", expectSeq: 1))
        #expect(admitted.decision == .admit && admitted.reason == .admitted && admitted.credential?.payload == "https://hc.example/a")
        #expect(admitted.temperature.map { abs($0.celsius - 36.6) < 0.05 } == true && admitted.lane == "north-in")
        try await Task.sleep(for: .milliseconds(1_600))  // the 36.6 °C reading goes stale
        let fever = try #require(try await person(38.2, "https://hc.example/b", expectSeq: 2))
        #expect(fever.reason == .fever && fever.decision == .refer)
        #expect(try await waitUntil(within: .seconds(10)) { try central.storedRecords().count == 2 })

        kill(daemon.processIdentifier, SIGKILL)
        daemon.waitUntilExit()
        try await Task.sleep(for: .milliseconds(1_600))
        daemon = try startDaemon(config: config, socket: socket, log: dir.appendingPathComponent("daemon-2.log"))
        #expect(try await waitUntil(within: .seconds(10)) { try journalStatus(socket) != nil })
        let resumed = try #require(try journalStatus(socket))
        #expect(resumed.state.journalEpoch == first.state.journalEpoch && resumed.state.lastSeq == 2)

        let unmeasured = try #require(try await person(nil, "https://hc.example/c", expectSeq: 3))
        #expect(unmeasured.reason == .noReading && unmeasured.decision == .refer && unmeasured.temperature == nil)
        #expect(try await waitUntil(within: .seconds(10)) { try central.storedRecords().count == 3 })
        #expect(try central.storedRecords().map(\.seq) == [1, 2, 3], "gap-free at the store across the kill")

        // Contract 9: asked to remeasure, the same person scans the same code again at once — the
        // scanner's duplicate-scan window (3 s) was reset by the decision, so the scan counts.
        let implausible = try #require(try await person(45.0, "https://hc.example/d", expectSeq: 4))
        #expect(implausible.decision == .remeasure && implausible.reason == .temperatureOutOfRange)
        let again = try #require(try await person(36.7, "https://hc.example/d", expectSeq: 5))
        #expect(again.decision == .admit && again.credential?.payload == "https://hc.example/d")
        #expect(again.occurredAt.timeIntervalSince(implausible.occurredAt) < 3, "within the duplicate window")

        let (hornStatus, hornQueue) = try ctl(["horn", "queue", "--socket", socket])
        #expect(hornStatus == 0, "the horn runs inside checkpointd: \(hornQueue)")
        let (uplinkStatus, uplinkText) = try ctl(["uplink", "--socket", socket])
        #expect(uplinkStatus == 0 && uplinkText.contains("contact   last"))
        kill(daemon.processIdentifier, SIGTERM)
        daemon.waitUntilExit()
        #expect(daemon.terminationStatus == 0)
    }

    @Test("Without the daemon, checkpointctl journal reads the file itself (read-only), with the integrity check")
    func ctlJournalOffline() throws {
        let dir = try TestEnvironment.temporaryDirectory("ctl-journal")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = Fixture.journalPath(dir)
        let journal = try Journal.open(path: path, gate: "gate-9", minimumFreeBytes: 0)
        _ = try journal.append([Fixture.draft("https://hc.example/1"), Fixture.draft("https://hc.example/2", decision: .refer, reason: .fever)])
        try journal.acknowledge(epoch: journal.epoch, contiguousThrough: 1)
        let noDaemon = dir.appendingPathComponent("none.sock").path
        let (status, text) = try ctl(["journal", "--journal", path, "--socket", noDaemon, "--check"])
        #expect(status == 0)
        #expect(text.contains("last 2, acknowledged through 1, backlog 1") && text.contains("integrity ok"))
        #expect(text.contains("refer\tfever"))
        let (jsonStatus, json) = try ctl(["journal", "--journal", path, "--socket", noDaemon, "--json"])
        struct Body: Decodable { struct S: Decodable { var lastSeq: Int64; var gate: String }; var state: S; var latest: [EntryRecord] }
        let body = try CheckpointJSON.decoder().decode(Body.self, from: Data(json.utf8))
        #expect(jsonStatus == 0 && body.state.lastSeq == 2 && body.state.gate == "gate-9" && body.latest.count == 2)
    }

    @Test("checkpointd with a corrupt journal decides nothing, reports it on the control socket and leaves the file untouched")
    func corruptJournalReported() async throws {
        let dir = try TestEnvironment.temporaryDirectory("daemon-corrupt")
        defer { try? FileManager.default.removeItem(at: dir) }
        let journalPath = Fixture.journalPath(dir)
        let garbage = Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
        try garbage.write(to: URL(fileURLWithPath: journalPath))
        let config = try writeDeviceLessConfiguration(in: dir)
        let socket = dir.appendingPathComponent("control.sock").path
        let daemon = try startDaemon(config: config, socket: socket, log: dir.appendingPathComponent("daemon.log"))
        defer { if daemon.isRunning { kill(daemon.processIdentifier, SIGKILL); daemon.waitUntilExit() } }
        // Wait for the daemon's own answer: while it is starting it answers that it is starting.
        #expect(await waitUntil { ctlError(["journal", "--socket", socket]).contains("corrupt") })
        let p = Process()
        p.executableURL = URL(fileURLWithPath: BuildProducts.executable("checkpointctl"))
        p.arguments = ["journal", "--socket", socket]
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus != 0 && message.contains("corrupt"), "\(message)")
        #expect(daemon.isRunning)
        #expect(try Data(contentsOf: URL(fileURLWithPath: journalPath)) == garbage)
        kill(daemon.processIdentifier, SIGTERM)
        daemon.waitUntilExit()
    }
}
