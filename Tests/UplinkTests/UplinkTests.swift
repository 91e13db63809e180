import CheckpointCore
import Foundation
import Journal
import NIOHTTP1
import TestSupport
import Testing
import Uplink

/// The uplink in-process against the REAL `checkpoint-central` over loopback.
@Suite("The uplink against the real central store", .serialized)
struct UplinkRealStoreTests {
    func client(_ central: CentralLoopback, caFile: String? = nil, timeout: Duration = .seconds(5)) throws -> CentralClient {
        try CentralClient(baseURL: central.url, gate: central.gate, secret: SecretsFile.read(central.secretsFile), caFile: caFile,
                          requestTimeout: timeout)
    }

    @Test("A journal restored from an old copy meets a 409: ingest stops and says so, heartbeats go on")
    func conflictStops() async throws {
        let central = try CentralLoopback()
        defer { central.cleanUp() }
        try await central.start()
        let livePath = central.directory.appendingPathComponent("journal.sqlite").path
        let backupPath = central.directory.appendingPathComponent("backup.sqlite").path
        do { _ = try Journal.open(path: livePath, gate: central.gate, minimumFreeBytes: 0) }
        try FileManager.default.copyItem(atPath: livePath, toPath: backupPath)
        let live = try Journal.open(path: livePath, gate: central.gate, minimumFreeBytes: 0)
        _ = try live.append((0..<3).map { _ in Fixture.draft() })
        let c = try client(central)
        defer { Task { await c.shutdown() } }
        try await Uplink(journal: live, client: c).cycle()
        #expect(try live.state().ackedThrough == 3)

        let restored = try Journal.open(path: backupPath, gate: central.gate, minimumFreeBytes: 0)
        #expect(restored.epoch == live.epoch)
        _ = try restored.append((0..<3).map { _ in Fixture.draft() })
        let uplink = Uplink(journal: restored, client: c)
        await #expect(throws: CentralClientError.self) { try await uplink.cycle() }
        let status = await uplink.currentStatus()
        #expect(status.conflict != nil)
        try await uplink.cycle()  // no ingest attempted again: only heartbeat and watch list
        #expect(await uplink.currentStatus().recordsSent == 0)
        #expect(try restored.state().backlog == 3, "nothing of the conflicting journal counts as acknowledged")
    }

    @Test("The watch list is fetched incrementally, stored in the journal and handed to the gate, while heartbeats reach the store")
    func watchListAndHeartbeat() async throws {
        let central = try CentralLoopback()
        defer { central.cleanUp() }
        try await central.start()
        let journal = try Journal.open(path: central.directory.appendingPathComponent("journal.sqlite").path, gate: central.gate,
                                       minimumFreeBytes: 0)
        _ = try journal.append([Fixture.draft()])
        let c = try client(central)
        defer { Task { await c.shutdown() } }
        let handed = Mutex<[(Int64, [WatchListEntry])]>([])
        let uplink = Uplink(journal: journal, client: c,
                            devices: { [DeviceState(id: "thermo-1", role: .thermometer, status: .missing, detail: "unplugged")] },
                            onWatchList: { v, e in handed.withLock { $0.append((v, e)) } })
        let (s1, _) = try await central.admin(.POST, "/v1/watchlist/entries", body: #"""
            {"upserts":[{"credential":"https://hc.example/iso","colour":"red","isolation":true,"reason":"home isolation"},
                        {"credential":"https://hc.example/orange","colour":"orange","isolation":false,"reason":"travel"}],"removals":[]}
            """#)
        #expect(s1 == 200 || s1 == 201)
        try await uplink.cycle()
        var list = try journal.watchList()
        #expect(Set(list.entries.map(\.credential)) == ["https://hc.example/iso", "https://hc.example/orange"])
        #expect(list.entries.first { $0.credential == "https://hc.example/iso" }?.isolation == true)
        let firstVersion = list.version
        #expect(firstVersion > 0 && handed.withLock { $0.last?.0 } == firstVersion)
        let (s3, health) = try await central.admin(.GET, "/v1/gates/\(central.gate)")
        #expect(s3 == 200)
        #expect(health.contains("thermo-1") && health.contains("unplugged"), "the heartbeat's device states reached the store")

        let (s2, _) = try await central.admin(.POST, "/v1/watchlist/entries", body: #"{"upserts":[],"removals":["https://hc.example/orange"]}"#)
        #expect(s2 == 200 || s2 == 201)
        try await Uplink(journal: journal, client: c).cycle()
        list = try journal.watchList()
        #expect(list.entries.map(\.credential) == ["https://hc.example/iso"] && list.version > firstVersion)
    }

    @Test("Over HTTPS the uplink trusts the configured CA file, and refuses the same server without it (system trust store)")
    func tlsWithCAFile() async throws {
        let central = try CentralLoopback()
        defer { central.cleanUp() }
        try central.useSelfSignedTLS()
        try await central.start()
        let journal = try Journal.open(path: central.directory.appendingPathComponent("journal.sqlite").path, gate: central.gate,
                                       minimumFreeBytes: 0)
        _ = try journal.append([Fixture.draft(), Fixture.draft()])
        let untrusted = try client(central, timeout: .seconds(1))
        await #expect(throws: CentralClientError.self) { try await Uplink(journal: journal, client: untrusted).cycle() }
        await untrusted.shutdown()
        let trusted = try client(central, caFile: central.tls?.cert)
        try await Uplink(journal: journal, client: trusted).cycle()
        await trusted.shutdown()
        #expect(try journal.state().ackedThrough == 2)
    }
}
