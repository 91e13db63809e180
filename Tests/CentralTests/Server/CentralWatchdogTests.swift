import Foundation
import Testing
import TestSupport

@Suite("checkpoint-central under systemd's watchdog (real executable, SQLite file)")
struct CentralWatchdogTests {
    @Test("With WATCHDOG_USEC=1 s serve pings WATCHDOG=1 about every 500 ms while its loops and store answer; without, none")
    func watchdogPings() async throws {
        let directory = try TestEnvironment.temporaryDirectory("central-watchdog")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (database, _) = try CentralProcess.prepareDatabase(in: directory)
        let notify = try NotifySocket(path: directory.appendingPathComponent("notify.sock").path)
        var environment = ["NOTIFY_SOCKET": notify.path, "WATCHDOG_USEC": "1000000"]
        let launched = ContinuousClock.now
        let server = try CentralProcess(serving: database, in: directory, environment: environment)
        _ = try await notify.receive("READY=1", within: 20)
        let pings = await notify.watchdogPings(for: 3.0, since: launched, period: .milliseconds(500))
        #expect(pings.count >= 2 && pings.count <= pings.most,
                "\(pings.count) pings in 3 s; at most \(pings.most) in the server's life at a 500 ms period")
        server.signal(SIGTERM)
        #expect(try await server.exitStatus() == 0)

        environment["WATCHDOG_USEC"] = nil
        notify.drain()
        let unwatched = try CentralProcess(serving: database, in: directory, environment: environment)
        _ = try await notify.receive("READY=1", within: 20)
        #expect(await notify.collect(for: 1.5).filter { $0 == "WATCHDOG=1" }.isEmpty)
        unwatched.signal(SIGTERM)
        #expect(try await unwatched.exitStatus() == 0)
    }
}
