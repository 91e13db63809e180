import CheckpointCore
import Foundation
import TestSupport
import Testing

/// Live reload through the real `checkpointd`: simulated devices on PTYs (checkpoint-sim, real
/// protocols), `checkpointctl config reload` and SIGHUP, and a datagram socket standing in for
/// systemd's `NOTIFY_SOCKET`.
@Suite("checkpointd reloads its configuration while it runs", .serialized)
struct ReloadTests {
    /// What the test writes into the configuration file.
    struct Settings {
        var feverThresholdCelsius = 37.3
        /// `[calibration]` offset of the thermometer `north`, °C.
        var northOffset = 0.0
        /// A `[[horn.schedule]]` named `reload-test` at 08:30 UTC.
        var schedule = false
        /// A bad value on the line of `feverThresholdCelsius`.
        var broken = false
    }

    struct Rig {
        let dir: URL
        let sim: LineProcess
        let config: String
        let socket: String
        let notify: NotifySocket
        let daemon: Process
        let north: String
        let scanner: String

        func write(_ settings: Settings) throws {
            let fever = settings.broken ? "\"warm\"" : "\(settings.feverThresholdCelsius)"
            let schedule = settings.schedule ? """
                [[horn.schedule]]
                name = "reload-test"
                announcement = "reminder"
                at = ["08:30"]
                """ : ""
            try """
            gate = "gate-reload"
            catalog = "\(BuildProducts.packageRoot.appendingPathComponent("Devices").path)"

            [[device]]
            id = "north"
            model = "lu90614"
            path = "\(north)"

            [[device]]
            id = "scan-1"
            model = "gm65"
            path = "\(scanner)"

            [calibration]
            north = \(settings.northOffset)

            [[lane]]
            id = "north-in"
            direction = "in"
            scanner = "scan-1"
            thermometer = "north"

            [policy]
            feverThresholdCelsius = \(fever)
            pairingWindowMs = 600
            readingMaxAgeMs = 1500
            readingWithoutScan = "ignore"
            [[policy.credentialRule]]
            prefix = "https://hc.example/"
            action = "accept"

            [journal]
            path = "\(dir.appendingPathComponent("journal.sqlite").path)"
            minimumFreeMB = 0

            [horn]
            device = "null"
            timeZone = "UTC"
            speechCache = "\(dir.appendingPathComponent("speech").path)"
            \(schedule)
            """.write(toFile: config, atomically: true, encoding: .utf8)
        }

        func stop() {
            if daemon.isRunning { kill(daemon.processIdentifier, SIGKILL); daemon.waitUntilExit() }
            sim.stop()
            try? FileManager.default.removeItem(at: dir)
        }

        /// checkpointctl with the daemon's socket; the exit status and stdout + stderr.
        func ctl(_ arguments: [String]) throws -> (Int32, String) {
            let run = try runExecutable("checkpointctl", arguments + ["--socket", socket])
            return (run.status, run.output + run.error)
        }

        struct Thermometer: Decodable {
            struct Statistics: Decodable { var readings: Int; var disconnects: Int; var reconnects: Int }
            var id: String
            var port: String
            var statistics: Statistics
        }

        /// `north` as `thermometers.status` reports it.
        func northStatus() throws -> Thermometer? {
            let (status, out) = try ctl(["thermometers", "--json"])
            guard status == 0 else { return nil }
            return try? JSONDecoder().decode([Thermometer].self, from: Data(out.utf8)).first { $0.id == "north" }
        }

        struct JournalBody: Decodable {
            struct State: Decodable { var lastSeq: Int64 }
            var state: State
            var latest: [EntryRecord]
        }

        /// A person steps up at `celsius` and scans `code`; returns the journaled entry `seq`.
        func person(_ celsius: Double, _ code: String, seq: Int64) async throws -> EntryRecord? {
            let readings = try northStatus()?.statistics.readings ?? 0
            _ = sim.send("north set \(celsius)")
            // The scan comes once the daemon has polled north twice since (one whole poll after the
            // change; the reading carries the configured offset), not after a fixed time: a loaded
            // machine polls late.
            #expect(try await waitUntil { (try northStatus()?.statistics.readings ?? 0) >= readings + 2 },
                    "north was not read after it was set to \(celsius) °C")
            _ = sim.send("scanner scan \(code)")
            func journal() throws -> JournalBody? {
                let (status, out) = try ctl(["journal", "--json", "--last", "20"])
                guard status == 0 else { return nil }
                return try? CheckpointJSON.decoder().decode(JournalBody.self, from: Data(out.utf8))
            }
            let ok = try await waitUntil(within: .seconds(10)) { (try journal()?.state.lastSeq ?? 0) >= seq }
            _ = sim.send("north set 22.0")
            try await Task.sleep(for: .milliseconds(1_600))  // that reading goes stale before the next person
            return ok ? try journal()?.latest.first { $0.seq == seq } : nil
        }
    }

    func start(_ settings: Settings = Settings()) async throws -> Rig {
        let dir = try TestEnvironment.temporaryDirectory("reload")
        let (sim, north, scanner) = try CheckpointdGateTests.startSimulatedDevices(in: dir)
        let notify = try NotifySocket(path: dir.appendingPathComponent("notify").path)
        let config = dir.appendingPathComponent("checkpoint.toml").path
        let socket = dir.appendingPathComponent("control.sock").path
        let daemon = Process()
        daemon.executableURL = URL(fileURLWithPath: BuildProducts.executable("checkpointd"))
        daemon.arguments = ["--config", config, "--control-socket", socket]
        daemon.environment = notify.environment()
        let log = dir.appendingPathComponent("daemon.log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        daemon.standardError = try FileHandle(forWritingTo: log)
        daemon.standardOutput = FileHandle.nullDevice
        let rig = Rig(dir: dir, sim: sim, config: config, socket: socket, notify: notify, daemon: daemon, north: north, scanner: scanner)
        try rig.write(settings)
        try daemon.run()
        _ = try await notify.receive("READY=1", within: 20)
        return rig
    }

    @Test("A changed fever threshold applies between RELOADING=1 and READY=1; the unchanged thermometer keeps its port")
    func goodChangeKeepsPorts() async throws {
        let rig = try await start()
        defer { rig.stop() }
        let before = try #require(try await rig.person(37.6, "https://hc.example/a", seq: 1))
        #expect(before.reason == .fever, "37.6 °C is at or above the 37.3 °C threshold")
        let north = try #require(try rig.northStatus())

        var settings = Settings()
        settings.feverThresholdCelsius = 38.0
        try rig.write(settings)
        rig.notify.drain()
        let (status, out) = try rig.ctl(["config", "reload"])
        #expect(status == 0, "\(out)")
        #expect(out.contains("configuration reloaded") && !out.contains("thermometers:") && !out.contains("scanners:"), "\(out)")
        let reloading = try await rig.notify.receive("RELOADING=1", within: 5)
        #expect(reloading.contains("MONOTONIC_USEC="), "\(reloading)")
        _ = try await rig.notify.receive("READY=1", within: 5)

        let after = try #require(try await rig.person(37.6, "https://hc.example/b", seq: 2))
        #expect(after.decision == .admit && after.reason == .admitted, "37.6 °C is below the new 38.0 °C threshold")
        #expect(after.policyVersion != before.policyVersion)
        // The same runner and port: its reading count went on from where it was (a reopened port
        // starts a new session at 0) and the port was never lost.
        let kept = try #require(try rig.northStatus())
        #expect(kept.statistics.readings > north.statistics.readings, "\(north.statistics.readings) → \(kept.statistics.readings)")
        #expect(kept.statistics.disconnects == 0 && kept.statistics.reconnects == 0 && kept.port == north.port)
    }

    @Test("A changed calibration offset reopens that thermometer only; the scanner keeps its port")
    func changedDeviceReopened() async throws {
        let rig = try await start()
        defer { rig.stop() }
        #expect(try await waitUntil(within: .seconds(10)) { (try rig.northStatus()?.statistics.readings ?? 0) >= 3 })
        var settings = Settings()
        settings.northOffset = 0.2
        try rig.write(settings)
        let (status, out) = try rig.ctl(["config", "reload"])
        #expect(status == 0, "\(out)")
        #expect(out.contains("thermometers: closed [north], opened [north]") && !out.contains("scanners:"), "\(out)")
        let reopened = try #require(try rig.northStatus())
        #expect(reopened.statistics.readings < 3, "a new session: \(reopened.statistics.readings) readings")
        let admitted = try #require(try await rig.person(36.6, "https://hc.example/c", seq: 1))
        #expect(admitted.temperature.map { abs($0.celsius - 36.8) < 0.05 } == true, "the new offset applies: \(String(describing: admitted.temperature))")
    }

    @Test("A file with an error is refused with file:line:key (checkpointctl exit 78, SIGHUP); the old configuration decides")
    func badChangeRefused() async throws {
        let rig = try await start()
        defer { rig.stop() }
        var settings = Settings()
        settings.broken = true
        try rig.write(settings)
        let line = try #require(try String(contentsOfFile: rig.config, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            .firstIndex { $0.hasPrefix("feverThresholdCelsius") }) + 1
        let (status, out) = try rig.ctl(["config", "reload"])
        #expect(status == 78, "\(out)")
        #expect(out.contains("configuration refused") && out.contains("checkpoint.toml:\(line): policy.feverThresholdCelsius"), "\(out)")

        rig.notify.drain()
        kill(rig.daemon.processIdentifier, SIGHUP)
        _ = try await rig.notify.receive("READY=1", within: 5)
        let log = rig.dir.appendingPathComponent("daemon.log").path
        #expect(try await waitUntil(within: .seconds(5)) {
            (try String(contentsOfFile: log, encoding: .utf8)).components(separatedBy: "reload refused").count == 3
        }, "both refusals are logged")
        #expect(rig.daemon.isRunning)

        let entry = try #require(try await rig.person(37.6, "https://hc.example/d", seq: 1))
        #expect(entry.reason == .fever, "the running threshold (37.3 °C) still decides")
    }

    @Test("A horn schedule added to the file is in force after a reload (horn.queue lists its next broadcast)")
    func hornScheduleApplied() async throws {
        let rig = try await start()
        defer { rig.stop() }
        let (_, before) = try rig.ctl(["horn", "queue"])
        #expect(!before.contains("reload-test"), "\(before)")
        var settings = Settings()
        settings.schedule = true
        try rig.write(settings)
        kill(rig.daemon.processIdentifier, SIGHUP)
        #expect(try await waitUntil(within: .seconds(10)) {
            let (status, text) = try rig.ctl(["horn", "queue"])
            return status == 0 && text.contains("schedule: reload-test (reminder) next ") && text.contains("T08:30:00Z")
        })
    }
}
