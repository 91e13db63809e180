import CheckpointCore
import Foundation
import TestSupport
import Testing

/// `checkpointd` itself with a simulated thermometer (checkpoint-sim, real protocol on a PTY), a
/// simulated relay line and the REAL central store over loopback.
@Suite("checkpointd's gate path against checkpoint-sim and checkpoint-central", .serialized)
struct CheckpointdGateTests {
    func ctl(_ arguments: [String]) throws -> (Int32, String) { try runBuilt("checkpointctl", arguments) }

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

    @Test("A person measured without a code becomes a noCredential entry: journaled by checkpointd, at the store; after kill -9 the daemon resumes the same epoch gap-free")
    func daemonJournalsAndForwards() async throws {
        let central = try CentralLoopback()
        defer { central.cleanUp() }
        try await central.start()
        let dir = central.directory
        let sim = try LineProcess("checkpoint-sim", ["run", "--catalog", BuildProducts.packageRoot.appendingPathComponent("Devices").path,
                                                     "--dir", dir.path, "--device", "lu90614:celsius=22.0,name=north"])
        defer { sim.stop() }
        var links: [String: String] = [:]
        while let line = sim.readLine(), !line.hasPrefix("ready:") {
            let f = line.split(separator: "\t").map(String.init)
            if f.count >= 2 { links[f[0]] = f[1] }
        }
        let north = try #require(links["north"])
        let socket = dir.appendingPathComponent("control.sock").path
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
        match = { usb = "ffff:fffe" }   # a scanner that is not plugged in (scans are not under test here)

        [[lane]]
        id = "north-in"
        direction = "in"
        scanner = "scan-1"
        thermometer = "north"
        relay = { simulated = "relay-north", pulseMs = 200 }

        [policy]
        pairingWindowMs = 400
        readingMaxAgeMs = 400

        [central]
        url = "\(central.url)"
        secretsFile = "\(central.secretsFile)"
        heartbeatSeconds = 1
        backoffInitialMs = 50
        backoffMaxMs = 300

        [journal]
        path = "\(dir.appendingPathComponent("journal.sqlite").path)"
        minimumFreeMB = 0
        """.write(toFile: config, atomically: true, encoding: .utf8)

        var daemon = try startDaemon(config: config, socket: socket, log: dir.appendingPathComponent("daemon-1.log"))
        defer { if daemon.isRunning { kill(daemon.processIdentifier, SIGKILL); daemon.waitUntilExit() } }
        #expect(try await eventually(within: 10) { try journalStatus(socket) != nil })
        let first = try #require(try journalStatus(socket))
        #expect(first.state.lastSeq == 0)

        // A person steps up (36.6 °C), shows no code, and leaves (the sensor sees the wall again).
        _ = sim.send("north set 36.6")
        try await Task.sleep(for: .milliseconds(1_200))
        _ = sim.send("north set 22.0")
        #expect(try await eventually(within: 10) { (try journalStatus(socket)?.state.lastSeq ?? 0) >= 1 })
        let entry = try #require(try journalStatus(socket)?.latest.first)
        #expect(entry.reason == .noCredential && entry.decision == .refer && entry.credential == nil)
        #expect(entry.temperature.map { abs($0.celsius - 36.6) < 0.05 } == true && entry.lane == "north-in")
        #expect(try await eventually(within: 10) { try central.storedRecords().count >= 1 })

        kill(daemon.processIdentifier, SIGKILL)
        daemon.waitUntilExit()
        daemon = try startDaemon(config: config, socket: socket, log: dir.appendingPathComponent("daemon-2.log"))
        #expect(try await eventually(within: 10) { try journalStatus(socket) != nil })
        let resumed = try #require(try journalStatus(socket))
        #expect(resumed.state.journalEpoch == first.state.journalEpoch && resumed.state.lastSeq == entry.seq)

        _ = sim.send("north set 36.9")
        try await Task.sleep(for: .milliseconds(1_200))
        _ = sim.send("north set 22.0")
        #expect(try await eventually(within: 10) { (try journalStatus(socket)?.state.lastSeq ?? 0) >= entry.seq + 1 })
        #expect(try await eventually(within: 10) { try central.storedRecords().count == Int(entry.seq) + 1 })
        let stored = try central.storedRecords()
        #expect(stored.map(\.seq) == Array(1...(entry.seq + 1)), "gap-free at the store across the kill")

        let (uplinkStatus, uplinkText) = try ctl(["uplink", "--socket", socket])
        #expect(uplinkStatus == 0 && uplinkText.contains("contact   last"))
        kill(daemon.processIdentifier, SIGTERM)
        daemon.waitUntilExit()
        #expect(daemon.terminationStatus == 0)
    }
}
