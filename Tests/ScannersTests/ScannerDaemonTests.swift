import CheckpointCore
import Foundation
import TestSupport
import Testing

@Suite("checkpointd runs configured scanners and serves scanner.configure", .serialized)
struct ScannerDaemonTests {
    @Test("checkpointctl scanner aim on reaches checkpointd's GM65 through its socket, and the next scan carries its symbology")
    func daemonScanner() async throws {
        let dir = try TestEnvironment.temporaryDirectory("scanner-daemon")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (sim, links) = try startScannerSimulator(["--dir", dir.path, "--device", "gm65:aim=off,name=lane1-scanner"])
        defer { sim.stop() }
        let link = try #require(links["lane1-scanner"])
        let socket = dir.appendingPathComponent("control.sock").path
        let config = dir.appendingPathComponent("gate.toml").path
        try """
        gate = "test-gate"
        catalog = "\(BuildProducts.packageRoot.appendingPathComponent("Devices").path)"

        [[device]]
        id = "lane1-scanner"
        model = "gm65"
        path = "\(link)"
        """.write(toFile: config, atomically: true, encoding: .utf8)

        let daemon = Process()
        daemon.executableURL = URL(fileURLWithPath: BuildProducts.executable("checkpointd"))
        daemon.arguments = ["--config", config, "--control-socket", socket]
        let daemonLog = Pipe()
        daemon.standardError = daemonLog
        let log = Mutex("")
        daemonLog.fileHandleForReading.readabilityHandler = { handle in
            let chunk = String(decoding: handle.availableData, as: UTF8.self)
            log.withLock { $0 += chunk }
        }
        defer { daemonLog.fileHandleForReading.readabilityHandler = nil }
        try daemon.run()
        #expect(await waitUntil { FileManager.default.fileExists(atPath: socket) })

        let aim = try runExecutable("checkpointctl", ["scanner", "aim", "on", "--device", "lane1-scanner", "--command-set", "gm65", "--socket", socket])
        #expect(aim.status == 0, "\(aim.error)")
        #expect(aim.output.contains("← 02 00 00 01 00 33 31"))
        #expect(sim.send("status")?.contains("Code ID on") == true)

        let unknown = try runExecutable("checkpointctl", ["scanner", "save", "--device", "lane9", "--command-set", "gm65", "--socket", socket])
        #expect(unknown.status != 0)
        #expect(unknown.error.contains("no scanner \"lane9\""))

        // Grow's Code ID "j" names Code 128 (GS1-128 included); the catalog's table decodes it.
        #expect(sim.send("scan-as code128 0109501101530008")?.contains("queued") == true)
        #expect(await waitUntil { log.withLock { $0.contains("symbology=code128") } }, "\(log.withLock { $0 })")
        #expect(log.withLock { $0.contains("attached scanner lane1-scanner") })
        daemon.terminate()
        daemon.waitUntilExit()
        #expect(daemon.terminationStatus == 0)
    }
}
