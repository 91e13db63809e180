import CheckpointCore
import Foundation
import Journal
import TestSupport
import Testing
import Uplink

/// The uplink against a loopback HTTP store that refuses on purpose (Tests/Peers/refusing_store.py):
/// no record can block it.
@Suite("The uplink when the store refuses", .serialized)
struct UplinkRefusalTests {
    struct Rig {
        let dir: URL
        let store: ScriptPeer
        let journal: Journal
        let client: CentralClient

        func cleanUp() async {
            await client.shutdown()
            store.stop()
            try? FileManager.default.removeItem(at: dir)
        }

        /// The store's ingest lines: (status, count, first seq, last seq).
        var ingests: [(Int, Int, Int64, Int64)] {
            store.lines.filter { $0.hasPrefix("ingest ") }.map {
                let f = $0.split(separator: " ").dropFirst().map { Int64($0) ?? -1 }
                return (Int(f[0]), Int(f[1]), f[2], f[3])
            }
        }
    }

    func rig(_ storeArguments: [String] = [], payloads: [String]) async throws -> Rig {
        let dir = try TestEnvironment.temporaryDirectory("uplink-refusal")
        let store = try ScriptPeer("refusing_store.py", storeArguments)
        let portLine = try #require(await store.line(startingWith: "port "))
        let journal = try Journal.open(path: Fixture.journalPath(dir), gate: "gate-1", minimumFreeBytes: 0)
        _ = try journal.append(payloads.map { Fixture.draft($0) })
        let client = try CentralClient(baseURL: "http://127.0.0.1:\(portLine.dropFirst(5))", gate: "gate-1", secret: "s", requestTimeout: .seconds(5))
        return Rig(dir: dir, store: store, journal: journal, client: client)
    }

    func settings(batchSize: Int) -> Uplink.Settings {
        var s = Uplink.Settings()
        s.batchSize = batchSize
        return s
    }

    @Test("A batch refused with 400 for one record is bisected: the others arrive, the refused one is kept as rejected and reported")
    func badRecordIsBisectedOut() async throws {
        let payloads = (1...7).map { $0 == 4 ? "https://hc.example/POISON" : "https://hc.example/\($0)" }
        let rig = try await rig(payloads: payloads)
        let uplink = Uplink(journal: rig.journal, client: rig.client, settings: settings(batchSize: 10))
        try await uplink.cycle()

        let stored = rig.ingests.filter { $0.0 == 200 }.flatMap { Array($0.2...$0.3) }
        #expect(stored.sorted() == [1, 2, 3, 5, 6, 7], "\(rig.ingests)")
        let rejected = try rig.journal.rejected()
        #expect(rejected.map(\.seq) == [4])
        #expect(rejected.first?.reason.contains("HTTP 400 invalidBody") == true)
        #expect(try rig.journal.records(4...4).first?.credential?.payload == "https://hc.example/POISON", "kept in the journal")
        let state = try rig.journal.state()
        #expect(state.ackedThrough == 7 && state.backlog == 0)
        let status = await uplink.currentStatus()
        #expect(status.rejectedRecords == 1 && status.lastRejection?.hasPrefix("seq 4:") == true)
        #expect(UplinkText.summary(status).contains("REJECTED  1 record(s)"))

        let heartbeat = try #require(await rig.store.line(startingWith: "heartbeat "))
        let body = try CheckpointJSON.decoder().decode(Heartbeat.self, from: Data(heartbeat.dropFirst(10).utf8))
        let entry = try #require(body.devices.first { $0.role == .uplink })
        #expect(entry.status == .degraded && entry.detail?.contains("1 record(s) rejected") == true)

        let attempts = rig.ingests.count
        _ = try rig.journal.append([Fixture.draft("https://hc.example/8")])
        try await uplink.cycle()
        #expect(rig.ingests.count == attempts + 1 && rig.ingests.last?.0 == 200 && rig.ingests.last?.2 == 8, "the rejected record is not resent")
        #expect(try rig.journal.state().ackedThrough == 8)
        await rig.cleanUp()
    }

    @Test("A store that answers 413 gets batches halved until it takes them; nothing is rejected")
    func tooLargeHalves() async throws {
        let rig = try await rig(["--max-batch", "3"], payloads: (1...8).map { "https://hc.example/\($0)" })
        let uplink = Uplink(journal: rig.journal, client: rig.client, settings: settings(batchSize: 8))
        try await uplink.cycle()
        #expect(rig.ingests.map(\.1).prefix(3) == [8, 4, 2], "\(rig.ingests)")
        #expect(rig.ingests.filter { $0.0 == 200 }.allSatisfy { $0.1 <= 2 })
        #expect(try rig.journal.state().ackedThrough == 8)
        #expect(try rig.journal.rejected().isEmpty)
        #expect(await uplink.currentStatus().batchSize == 2)
        await rig.cleanUp()
    }

    @Test("401 from the store is a critical state in the uplink's status, retried slowly, and cleared when the store accepts again")
    func unauthorizedIsCritical() async throws {
        let dir = try TestEnvironment.temporaryDirectory("refuse-flag")
        defer { try? FileManager.default.removeItem(at: dir) }
        let flag = dir.appendingPathComponent("refuse").path
        _ = FileManager.default.createFile(atPath: flag, contents: nil)
        let rig = try await rig(["--refuse-file", flag], payloads: ["https://hc.example/1"])
        var s = settings(batchSize: 10)
        s.credentialRetry = .seconds(1)
        s.backoff = Backoff(initial: .milliseconds(10), maximum: .milliseconds(20))
        let uplink = Uplink(journal: rig.journal, client: rig.client, settings: s)
        let task = Task { await uplink.run() }
        var status = await uplink.currentStatus()
        let deadline = ContinuousClock.now + .seconds(10)
        while status.credentialRefused == nil && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
            status = await uplink.currentStatus()
        }
        // The peer prints its line after answering: wait for it rather than race it.
        #expect(await waitUntil(within: .seconds(5)) { rig.ingests.count == 1 })
        #expect(status.credentialRefused?.contains("HTTP 401") == true)
        #expect(UplinkText.summary(status).contains("CRITICAL"))
        try await Task.sleep(for: .milliseconds(500))
        #expect(rig.ingests.count == 1, "no retry before credentialRetry (1 s), though the backoff is 10 ms")
        try FileManager.default.removeItem(atPath: flag)
        #expect(await waitUntil(within: .seconds(10)) { rig.ingests.last?.0 == 200 })
        #expect(await waitUntil { (try? rig.journal.state().ackedThrough) == 1 })
        #expect(await uplink.currentStatus().credentialRefused == nil || rig.ingests.last?.0 == 200)
        task.cancel()
        await rig.cleanUp()
    }

    @Test("503 busy from an overloaded store is retried no sooner than busyRetry, though the backoff is 10 ms")
    func busyIsRetriedAfterBusyRetry() async throws {
        let dir = try TestEnvironment.temporaryDirectory("busy-flag")
        defer { try? FileManager.default.removeItem(at: dir) }
        let flag = dir.appendingPathComponent("busy").path
        _ = FileManager.default.createFile(atPath: flag, contents: nil)
        let rig = try await rig(["--busy-file", flag], payloads: ["https://hc.example/1"])
        var s = settings(batchSize: 10)
        s.busyRetry = .seconds(1)
        s.backoff = Backoff(initial: .milliseconds(10), maximum: .milliseconds(20))
        let uplink = Uplink(journal: rig.journal, client: rig.client, settings: s)
        let started = ContinuousClock.now
        let task = Task { await uplink.run() }
        #expect(await waitUntil { rig.ingests.first?.0 == 503 })
        try FileManager.default.removeItem(atPath: flag)
        #expect(await waitUntil { rig.ingests.last?.0 == 200 })
        let elapsed = ContinuousClock.now - started
        #expect(elapsed >= .seconds(1), "the retry came \(elapsed) after the start")
        #expect(rig.ingests.filter { $0.0 == 503 }.count == 1, "\(rig.ingests)")
        #expect(await waitUntil { (try? rig.journal.state().ackedThrough) == 1 })
        task.cancel()
        await rig.cleanUp()
    }
}
