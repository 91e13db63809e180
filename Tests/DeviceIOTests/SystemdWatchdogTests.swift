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

    @Test("WATCHDOG=1 arrives at half WATCHDOG_USEC while every probe answers, including the event loop's")
    func pingsAtHalfInterval() async throws {
        let loop = try EventLoop(name: "wd-test")
        defer { loop.stop() }
        let (socket, watchdog, dir) = try rig(400_000, probes: [.eventLoop(loop), WatchdogProbe("quick") {}])
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(watchdog.period == .milliseconds(200))
        let task = Task { await watchdog.run() }
        defer { task.cancel() }
        let pings = await socket.collect(for: 2.1).filter { $0 == "WATCHDOG=1" }.count
        #expect((8...12).contains(pings), "\(pings) pings in 2.1 s at a 200 ms period")
        #expect(watchdog.withheld == nil)
    }

    @Test("A probe that hangs withholds WATCHDOG=1 within one period and says which; pings resume once it answers")
    func hungProbeWithholds() async throws {
        let stuck = Mutex(true)
        let probe = WatchdogProbe("journal") {
            while stuck.withLock({ $0 }) { try? await Task.sleep(for: .milliseconds(20)) }
        }
        let (socket, watchdog, dir) = try rig(200_000, probes: [WatchdogProbe("gate") {}, probe])
        defer { try? FileManager.default.removeItem(at: dir) }
        let task = Task { await watchdog.run() }
        defer { task.cancel() }
        #expect(await socket.collect(for: 1.0).isEmpty, "no ping while the journal probe hangs")
        #expect(watchdog.withheld?.hasPrefix("journal:") == true, "\(watchdog.withheld ?? "nil")")
        stuck.withLock { $0 = false }
        _ = try await socket.receive("WATCHDOG=1", within: 2)
        #expect(await waitUntil { watchdog.withheld == nil })
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
