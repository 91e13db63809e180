import Foundation
import TestSupport
import Testing

/// The real `checkpointd` under a stand-in for systemd: `NOTIFY_SOCKET` is a datagram socket the
/// test owns, `WATCHDOG_USEC` is short so the watchdog's rate can be measured.
@Suite("checkpointd under systemd's notify protocol", .serialized)
struct SystemdDaemonTests {
    struct Rig {
        let dir: URL
        let socket: NotifySocket
        let control: String
        let daemon: Process

        func stop() {
            if daemon.isRunning { kill(daemon.processIdentifier, SIGKILL); daemon.waitUntilExit() }
            try? FileManager.default.removeItem(at: dir)
        }
    }

    /// checkpointd with one lane (its scanner absent), the journal in a temporary directory.
    func start(watchdog: Duration?) throws -> Rig {
        let dir = try TestEnvironment.temporaryDirectory("sd")
        let config = try writeDeviceLessConfiguration(in: dir)
        let socket = try NotifySocket(path: dir.appendingPathComponent("notify").path)
        let control = dir.appendingPathComponent("control.sock").path
        let daemon = Process()
        daemon.executableURL = URL(fileURLWithPath: BuildProducts.executable("checkpointd"))
        daemon.arguments = ["--config", config, "--control-socket", control]
        daemon.environment = socket.environment(watchdog: watchdog)
        daemon.standardError = try FileHandle(forWritingTo: {
            let log = dir.appendingPathComponent("daemon.log")
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            return log
        }())
        daemon.standardOutput = FileHandle.nullDevice
        try daemon.run()
        return Rig(dir: dir, socket: socket, control: control, daemon: daemon)
    }

    @Test("checkpointd sends READY=1 with a STATUS= line once journal and control socket are open, and STOPPING=1 on SIGTERM")
    func readyAndStopping() async throws {
        let rig = try start(watchdog: nil)
        defer { rig.stop() }
        let ready = try await rig.socket.receive("READY=1", within: 20)
        #expect(FileManager.default.fileExists(atPath: rig.control), "the control socket listens before READY=1")
        #expect(FileManager.default.fileExists(atPath: Fixture.journalPath(rig.dir)), "the journal is open before READY=1")
        let status = try #require(ready.split(separator: "\n").first { $0.hasPrefix("STATUS=") })
        #expect(status.contains("1 lane") && status.contains("devices 0/1 up (not: scan-1)") && status.contains("backlog 0")
                && status.contains("no central store"), "\(ready)")
        kill(rig.daemon.processIdentifier, SIGTERM)
        _ = try await rig.socket.receive("STOPPING=1", within: 10)
        rig.daemon.waitUntilExit()
        #expect(rig.daemon.terminationStatus == 0)
    }

    @Test("checkpointd sends WATCHDOG=1 at half WATCHDOG_USEC")
    func watchdogRate() async throws {
        let launched = ContinuousClock.now
        let rig = try start(watchdog: .seconds(1))
        defer { rig.stop() }
        _ = try await rig.socket.receive("READY=1", within: 20)
        let pings = await rig.socket.watchdogPings(for: 3.0, since: launched, period: .milliseconds(500))
        #expect(pings.count >= 2 && pings.count <= pings.most,
                "\(pings.count) pings in 3 s; at most \(pings.most) in the daemon's life at a 500 ms period")
    }

    @Test("A journal held locked by another writer stops checkpointd's WATCHDOG=1 until it is released")
    func stuckJournalStopsPings() async throws {
        let rig = try start(watchdog: .seconds(1))
        defer { rig.stop() }
        _ = try await rig.socket.receive("READY=1", within: 20)
        _ = try await rig.socket.receive("WATCHDOG=1", within: 5)

        let locker = Process()
        locker.executableURL = URL(fileURLWithPath: try TestEnvironment.python())
        locker.arguments = ["-c", """
            import sqlite3, sys
            con = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=10)
            con.execute("BEGIN EXCLUSIVE")
            print("locked", flush=True)
            sys.stdin.readline()
            con.execute("ROLLBACK")
            """, Fixture.journalPath(rig.dir)]
        let input = Pipe(), output = Pipe()
        locker.standardInput = input
        locker.standardOutput = output
        try locker.run()
        defer { if locker.isRunning { locker.terminate() } }
        let said = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        #expect(said.hasPrefix("locked"))

        // A ping from a round that began before the lock may still arrive within one period.
        _ = await rig.socket.collect(for: 0.6)
        let whileLocked = await rig.socket.collect(for: 3.0).filter { $0 == "WATCHDOG=1" }
        #expect(whileLocked.isEmpty, "\(whileLocked.count) pings while the journal was locked")

        input.fileHandleForWriting.write(Data("\n".utf8))
        locker.waitUntilExit()
        // The probe that was waiting gives up after SQLite's 5 s busy timeout at the latest.
        _ = try await rig.socket.receive("WATCHDOG=1", within: 8)
        #expect(rig.daemon.isRunning)
    }
}
