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

@Suite("The gate service: devices → pairing → policy → journal → lines")
struct GateServiceTests {
    struct Rig {
        let dir: URL
        let journal: Journal
        let relay: FakeOutputLine
        let service: GateService
        let decided: Mutex<[ReasonCode]>

        /// The relay's levels after the one the pipeline drove it to at the build (its safe level).
        var relayLevels: [LineLevel] { Array(relay.levels.dropFirst()) }
    }

    /// The gate as the daemon builds it (`GatePipeline`), with a FAKE relay line.
    func rig(windowMs: Int = 150) throws -> Rig {
        let dir = try TestEnvironment.temporaryDirectory("gate-service")
        var config = Fixture.policyConfiguration()
        config.pairingWindowMs = windowMs
        config.readingMaxAgeMs = windowMs
        var journal = JournalConfiguration()
        journal.path = Fixture.journalPath(dir)
        journal.minimumFreeMB = 0
        let relay = FakeOutputLine("fake-relay")
        let decided = Mutex<[ReasonCode]>([])
        let lane = LaneConfiguration(id: "lane-1", direction: .out, scanners: ["scan-1"], thermometer: "thermo-1",
                                     relay: OutputLineSpec(address: .simulated("relay")), relayPulseMs: 20, indicatorMs: 20)
        let pipeline = try GatePipeline(gate: "gate-1", setup: GateSetup(lanes: [lane], policy: config, journal: journal),
                                        feedback: .init(decided: { d in decided.withLock { $0.append(d.outcome.reason) } }),
                                        openLine: { _, _ in relay })
        return Rig(dir: dir, journal: pipeline.journal, relay: relay, service: pipeline.gate, decided: decided)
    }

    func scan(_ payload: String) -> GateEvent {
        .scan(device: "scan-1", Scan(bytes: Array(payload.utf8), text: payload, symbology: .qr, aimID: "]Q1", device: "usb:1:2"))
    }

    @Test("A scan then a reading from the lane's devices admits, is journaled, and pulses the relay after the commit")
    func admits() async throws {
        let r = try rig()
        defer { try? FileManager.default.removeItem(at: r.dir) }
        #expect(await r.service.handle(scan("https://hc.example/x")).isEmpty)
        let records = await r.service.handle(.reading(device: "thermo-1", Fixture.body(36.4)))
        #expect(records.map(\.decision) == [.admit] && records.first?.seq == 1)
        #expect(r.relayLevels.first == .active)
        #expect(try r.journal.state().lastSeq == 1)
    }

    @Test("A scan with no reading is decided by the service's own timer when the window closes (noReading)")
    func timerDecides() async throws {
        let r = try rig()
        defer { try? FileManager.default.removeItem(at: r.dir) }
        _ = await r.service.handle(scan("https://hc.example/y"))
        #expect(try await waitUntil { try r.journal.state().lastSeq == 1 })
        #expect(try r.journal.pending(limit: 10).first?.reason == .noReading)
        #expect(await waitUntil { r.decided.withLock { $0 } == [.noReading] })
        #expect(r.relayLevels.isEmpty)
    }

    @Test("With the thermometer gone, scans are referred at once as thermometerMissing until the thermometer returns")
    func degradesAndRecovers() async throws {
        let r = try rig()
        defer { try? FileManager.default.removeItem(at: r.dir) }
        _ = await r.service.handle(.deviceAvailability(device: "thermo-1", available: false))
        let missing = await r.service.handle(scan("https://hc.example/z"))
        #expect(missing.map(\.reason) == [.thermometerMissing] && missing.first?.decision == .refer)
        _ = await r.service.handle(.deviceAvailability(device: "thermo-1", available: true))
        _ = await r.service.handle(.reading(device: "thermo-1", Fixture.body(36.6)))
        let ok = await r.service.handle(scan("https://hc.example/w"))
        #expect(ok.map(\.decision) == [.admit])
    }

    @Test("The watch list given to the service is enforced: an isolated person leaving is refused and journaled as isolationExit")
    func watchListEnforced() async throws {
        let r = try rig()
        defer { try? FileManager.default.removeItem(at: r.dir) }
        await r.service.updateWatchList(WatchListIndex(version: 2, entries: [
            WatchListEntry(credential: "https://hc.example/iso", colour: .red, isolation: true, reason: "home isolation", validUntil: nil, version: 2),
        ]))
        let out = await r.service.handle(scan("https://hc.example/iso"))
        #expect(out.map(\.reason) == [.isolationExit] && out.first?.decision == .refuse)
    }

    @Test("Two watch-list versions applied out of order keep the newer one")
    func watchListOutOfOrder() async throws {
        let r = try rig()
        defer { try? FileManager.default.removeItem(at: r.dir) }
        let newer = WatchListIndex(version: 5, entries: [
            WatchListEntry(credential: "https://hc.example/red", colour: .red, isolation: false, reason: "listed", validUntil: nil, version: 5),
        ])
        let older = WatchListIndex(version: 4, entries: [])
        await r.service.updateWatchList(newer)
        await r.service.updateWatchList(older)
        #expect(await r.service.watchListVersion == 5)
        let out = await r.service.handle(scan("https://hc.example/red"))
        #expect(out.map(\.reason) == [.watchListed] && out.first?.decision == .refuse)
    }

    @Test("Events from devices no lane names are counted, not decided")
    func unrouted() async throws {
        let r = try rig()
        defer { try? FileManager.default.removeItem(at: r.dir) }
        _ = await r.service.handle(.scan(device: "elsewhere", Scan(bytes: [0x41], text: "A", symbology: .qr, aimID: nil, device: "x")))
        _ = await r.service.handle(.reading(device: "scan-1", Fixture.body(36.5)))
        #expect(r.service.unroutedEvents == 2)
        #expect(try r.journal.state().lastSeq == 0)
    }

    @Test("Events arriving during a commit share the next transaction in order, each actuated after its commit")
    func burstGroupCommit() async throws {
        let dir = try TestEnvironment.temporaryDirectory("gate-service")
        defer { try? FileManager.default.removeItem(at: dir) }
        let journal = try Journal.open(path: Fixture.journalPath(dir), gate: "gate-1", minimumFreeBytes: 0)
        let entered = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let calls = Mutex(0)
        let committer = GroupCommitter { drafts in
            if calls.withLock({ c -> Int in c += 1; return c }) == 1 {
                entered.signal()
                release.wait()
            }
            return try journal.append(drafts)
        }
        let relay = FakeOutputLine("fake-relay")
        var config = Fixture.policyConfiguration()
        config.requireTemperature = false
        let path = EntryPath(committer: committer,
                             actuators: [LaneActuator(lane: "lane-1", relay: relay, pulse: .milliseconds(10), indicatorTime: .milliseconds(10))])
        let service = GateService(lanes: [LaneConfiguration(id: "lane-1", direction: .in, scanners: ["scan-1"], thermometer: nil)],
                                  policy: Policy(config), entryPath: path)
        await service.accept(scan("https://hc.example/p0"))
        await Task.detached { entered.wait() }.value
        for i in 1...9 { await service.accept(scan("https://hc.example/p\(i)")) }
        #expect(committer.pendingCount == 9 && relay.edges.isEmpty, "nothing actuated before its commit")
        release.signal()
        #expect(try await waitUntil { try journal.state().lastSeq == 10 })
        #expect(committer.statistics.transactions == 2 && committer.statistics.largestTransaction == 9)
        let payloads = try journal.pending(limit: 20).map { $0.credential?.payload ?? "" }
        #expect(payloads == (0...9).map { "https://hc.example/p\($0)" }, "seqs follow the order of the events")
        #expect(await waitUntil { service.decisions == 10 && relay.levels.first == .active })
    }

    @Test("A manual entry or a manual opening is journaled like any entry, with who recorded it, the relay after the commit")
    func manualEntries() async throws {
        let r = try rig()
        defer { try? FileManager.default.removeItem(at: r.dir) }
        let entry = try await r.service.manual(lane: "lane-1", decision: .admit, open: false, shown: "ID card, checked by hand",
                                               reading: Fixture.body(36.4), recordedBy: "王芳")
        #expect(entry.reason == .manualEntry && entry.recordedBy == "王芳" && entry.credential?.kind == .manual)
        #expect(entry.violations().isEmpty && r.relayLevels.first == .active)
        let opened = try await r.service.manual(lane: "lane-1", decision: .admit, open: true, shown: nil, reading: nil, recordedBy: "李强")
        #expect(opened.reason == .manualOpen && opened.credential == nil && opened.seq == 2)
    }

    @Test("A manual entry for an unknown lane or without who recorded it is refused and journals nothing")
    func manualEntryRefusals() async throws {
        let r = try rig()
        defer { try? FileManager.default.removeItem(at: r.dir) }
        await #expect(throws: ManualEntryError.self) {
            try await r.service.manual(lane: "nowhere", decision: .admit, open: false, shown: nil, reading: nil, recordedBy: "x")
        }
        await #expect(throws: ManualEntryError.self) {
            try await r.service.manual(lane: "lane-1", decision: .admit, open: false, shown: nil, reading: nil, recordedBy: "")
        }
        #expect(try r.journal.state().lastSeq == 0)
    }
}
