import CheckpointCore
import Foundation
import Logging
import TestSupport
import Testing
@testable import DeviceIO

@Suite("systemd watchdog")
struct SystemdWatchdogTests {
    /// A notify socket the test owns and a watchdog of `usec` µs sending to it.
    func rig(_ usec: Int, probes: [WatchdogProbe]) throws -> (NotifySocket, SystemdWatchdog, URL) {
        let dir = try TestEnvironment.temporaryDirectory("wd")
        let socket = try NotifySocket(path: dir.appendingPathComponent("n.sock").path)
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": socket.path, "WATCHDOG_USEC": "\(usec)"])
        let watchdog = try #require(SystemdWatchdog(notifier: notifier, probes: probes, logger: Logger(label: "test")))
        return (socket, watchdog, dir)
    }

    @Test("A round in which every probe answers, the event loop's included, sends one WATCHDOG=1; the period is half WATCHDOG_USEC")
    func roundPingsWhenAllAnswer() async throws {
        let loop = try EventLoop(name: "wd-test")
        defer { loop.stop() }
        let (socket, watchdog, dir) = try rig(10_000_000, probes: [.eventLoop(loop), WatchdogProbe("quick") {}])
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(watchdog.period == .seconds(5))
        #expect(await watchdog.round().isEmpty)
        #expect(try await socket.receive(within: 5) == "WATCHDOG=1")
        #expect(watchdog.pings == 1 && watchdog.withheld == nil)
    }

    @Test("A hanging probe withholds WATCHDOG=1 and says which, is not restarted while it hangs, and pings resume once it answers")
    func hungProbeWithholds() async throws {
        let stuck = Mutex(true)
        let started = Mutex(0)
        let probe = WatchdogProbe("journal") {
            started.withLock { $0 += 1 }
            while stuck.withLock({ $0 }) { try? await Task.sleep(for: .milliseconds(20)) }
        }
        let (socket, watchdog, dir) = try rig(2_000_000, probes: [WatchdogProbe("gate") {}, probe])
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(await watchdog.round() == ["journal: no answer within 1.0 seconds"])
        #expect(await watchdog.round() == ["journal: still no answer from an earlier round"])
        #expect(started.withLock { $0 } == 1)
        #expect(socket.drain().isEmpty, "no ping while the journal probe hangs")
        #expect(watchdog.withheld?.hasPrefix("journal:") == true)
        stuck.withLock { $0 = false }
        var failures = await watchdog.round()
        for _ in 0..<100 where !failures.isEmpty {  // the released probe finishes within its 20 ms step
            try await Task.sleep(for: .milliseconds(50))
            failures = await watchdog.round()
        }
        #expect(failures.isEmpty)
        _ = try await socket.receive("WATCHDOG=1", within: 5)
        #expect(watchdog.withheld == nil)
    }

    @Test("A probe that throws withholds WATCHDOG=1 with its error")
    func failingProbeWithholds() async throws {
        struct Broken: Error, CustomStringConvertible { var description: String { "disk gone" } }
        let (socket, watchdog, dir) = try rig(200_000, probes: [WatchdogProbe("journal") { throw Broken() }])
        defer { try? FileManager.default.removeItem(at: dir) }
        let failures = await watchdog.round()
        #expect(failures == ["journal: disk gone"])
        #expect(socket.drain().isEmpty)
        #expect(watchdog.pings == 0)
    }

    @Test("RELOADING=1 carries MONOTONIC_USEC, as Type=notify-reload wants")
    func reloadingCarriesMonotonicTime() async throws {
        let (socket, watchdog, dir) = try rig(200_000, probes: [])
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(watchdog.notifier.reloading())
        let message = try await socket.receive(within: 2).split(separator: "\n")
        #expect(message.first == "RELOADING=1")
        #expect(message.count == 2 && message[1].hasPrefix("MONOTONIC_USEC=") && UInt64(message[1].dropFirst(15)).map { $0 > 0 } == true)
    }
}
