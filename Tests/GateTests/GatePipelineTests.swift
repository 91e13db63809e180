import CheckpointConfig
import CheckpointCore
import DeviceIO
import Foundation
import Gate
import GatePipeline
import GateService
import Journal
import TestSupport
import Testing

@Suite("The gate pipeline: inbox → device states → lanes → journal → lines, built in one place")
struct GatePipelineTests {
    func setup(_ dir: URL) -> GateSetup {
        var journal = JournalConfiguration()
        journal.path = Fixture.journalPath(dir)
        journal.minimumFreeMB = 0
        let lane = LaneConfiguration(id: "lane-1", direction: .in, scanners: ["scan-1"], thermometer: "thermo-1",
                                     relay: OutputLineSpec(address: .simulated("relay")), relayPulseMs: 20)
        return GateSetup(lanes: [lane], policy: Fixture.policyConfiguration(), journal: journal)
    }

    func scan(_ payload: String) -> Scan {
        Scan(bytes: Array(payload.utf8), text: payload, symbology: .qr, aimID: "]Q1", device: "usb:1:2")
    }

    @Test("A scan and a reading handed to the inbox are decided, journaled, and pulse the lane's relay after the commit")
    func inboxToRelay() async throws {
        let dir = try TestEnvironment.temporaryDirectory("gate-pipeline")
        defer { try? FileManager.default.removeItem(at: dir) }
        let relay = FakeOutputLine("fake-relay")
        let pipeline = try GatePipeline(gate: "gate-1", setup: setup(dir), openLine: { _, _ in relay })
        let running = Task { await pipeline.run() }
        defer { running.cancel() }
        pipeline.inbox.scan(device: "scan-1", scan("https://hc.example/p1"))
        pipeline.inbox.reading(device: "thermo-1", Fixture.body(36.6))
        #expect(try await waitUntil { try pipeline.journal.state().lastSeq == 1 })
        #expect(try pipeline.journal.pending(limit: 5).first?.reason == .admitted)
        #expect(await waitUntil { relay.levels.starts(with: [.inactive, .active]) })
    }

    @Test("The lanes' lines are registered as devices: an opened relay is ok, one that cannot be opened is faulty")
    func linesRegistered() async throws {
        struct NoSuchLine: Error {}
        let dir = try TestEnvironment.temporaryDirectory("gate-pipeline")
        defer { try? FileManager.default.removeItem(at: dir) }
        let ok = try GatePipeline(gate: "gate-1", setup: setup(dir), openLine: { _, _ in FakeOutputLine("fake-relay") })
        #expect(ok.registry.all.first { $0.id == "lane-1.relay" }?.status == .ok)
        let dir2 = try TestEnvironment.temporaryDirectory("gate-pipeline")
        defer { try? FileManager.default.removeItem(at: dir2) }
        let failing = try GatePipeline(gate: "gate-1", setup: setup(dir2), openLine: { _, _ in throw NoSuchLine() })
        #expect(failing.registry.all.first { $0.id == "lane-1.relay" }?.status == .faulty)
    }

    @Test("A journal that cannot be opened stops the build")
    func journalUnavailable() throws {
        let dir = try TestEnvironment.temporaryDirectory("gate-pipeline")
        defer { try? FileManager.default.removeItem(at: dir) }
        var s = setup(dir)
        try Data("not a directory".utf8).write(to: dir.appendingPathComponent("file"))
        s.journal.path = dir.appendingPathComponent("file/journal.sqlite").path
        #expect(throws: (any Error).self) { try GatePipeline(gate: "gate-1", setup: s) }
    }

    @Test("Watch lists are handed on in the order they were delivered, each after the previous one was applied")
    func watchListsInOrder() async {
        let feed = WatchListFeed()
        for v in 1...50 { feed.deliver(version: Int64(v), entries: []) }
        feed.finish()
        let applied = Mutex<[Int64]>([])
        await feed.drain { list in
            await Task.yield()
            applied.withLock { $0.append(list.version) }
        }
        #expect(applied.withLock { $0 } == (1...50).map(Int64.init))
    }
}
