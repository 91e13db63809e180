import CheckpointConfig
import CheckpointCore
import CredentialDigest
import Foundation
import Gate
import GatePipeline
import Journal
import TestSupport
import Testing
import Uplink

/// The watch list as keyed digests at the gate: matched by the scan's district digest, fetched
/// from the real `checkpoint-central` holding the same key, refused by a gate without one.
@Suite("A keyed watch list at the gate", .serialized)
struct KeyedWatchListTests {
    static let key = "district-key-for-tests-0123456789"

    func isolated(_ digester: CredentialDigester) -> WatchListIndex {
        WatchListIndex(version: 1, entries: [
            WatchListEntry(credential: digester.digest("https://hc.example/iso"), colour: .red, isolation: true, reason: "",
                           validUntil: nil, version: 1),
        ])
    }

    func decide(_ payload: String, policy: Policy, list: WatchListIndex, direction: Direction) -> DecisionOutcome {
        let entry = PairedEntry(credential: Fixture.code(payload), reading: Fixture.body(36.5), thermometerAvailable: true, pairedAt: .zero)
        return policy.decide(entry, direction: direction, watchList: list, now: Fixture.noon)
    }

    @Test("A gate with the district key finds a scan in a keyed list: the isolated person leaving is refused")
    func matchedByDigest() throws {
        let digester = try CredentialDigester(districtKey: Self.key)
        let policy = Policy(Fixture.policyConfiguration()).matchingWatchList(by: digester.digest)
        let out = decide("https://hc.example/iso", policy: policy, list: isolated(digester), direction: .out)
        #expect(out.decision == .refuse && out.reason == .isolationExit && out.alert)
        #expect(out.detail == "under isolation (red)", "a keyed list carries no reason")
        #expect(decide("https://hc.example/other", policy: policy, list: isolated(digester), direction: .out).reason != .isolationExit)
    }

    @Test("A lane keeps matching a keyed list after its policy is replaced by a reload")
    func keptAcrossReload() throws {
        let digester = try CredentialDigester(districtKey: Self.key)
        var lane = GateLane(lane: Fixture.lane(direction: .out), policy: Policy(Fixture.policyConfiguration()).matchingWatchList(by: digester.digest))
        var reloaded = Fixture.policyConfiguration()
        reloaded.feverThresholdCelsius = 38.0
        lane.replacePolicy(reloaded)
        #expect(lane.policy.configuration.feverThresholdCelsius == 38.0)
        #expect(decide("https://hc.example/iso", policy: lane.policy, list: isolated(digester), direction: .out).reason == .isolationExit)
    }

    @Test("A digest made with another key matches nothing")
    func otherKeyNoMatch() throws {
        let list = isolated(try CredentialDigester(districtKey: Self.key))
        let policy = Policy(Fixture.policyConfiguration()).matchingWatchList(by: try CredentialDigester(districtKey: "another-district-key-000000").digest)
        #expect(decide("https://hc.example/iso", policy: policy, list: list, direction: .out).reason != .isolationExit)
    }

    func writeKey(_ central: CentralLoopback) throws -> String {
        let path = central.directory.appendingPathComponent("district.key").path
        FileManager.default.createFile(atPath: path, contents: Data((Self.key + "\n").utf8), attributes: [.posixPermissions: 0o600])
        return path
    }

    func fetch(_ central: CentralLoopback, keyed: Bool) async throws -> (Journal, UplinkStatus) {
        let journal = try Journal.open(path: Fixture.journalPath(central.directory, "journal-\(keyed).sqlite"), gate: central.gate,
                                       minimumFreeBytes: 0)
        let client = try CentralClient(baseURL: central.url, gate: central.gate, secret: SecretsFile.read(central.secretsFile),
                                       requestTimeout: .seconds(5))
        var settings = Uplink.Settings()
        settings.matchesKeyedWatchList = keyed
        let uplink = Uplink(journal: journal, client: client, settings: settings)
        try await uplink.cycle()
        let status = await uplink.currentStatus()
        await client.shutdown()
        return (journal, status)
    }

    @Test("A keyed list from the real store is journaled as digests without reasons; a gate without the key refuses it")
    func fromTheStore() async throws {
        let central = try CentralLoopback()
        defer { central.cleanUp() }
        central.serveArguments = ["--district-key-file", try writeKey(central)]
        try await central.start()
        let (status, _) = try await central.admin(.POST, "/v1/watchlist/entries", body: #"""
            {"upserts":[{"credential":"https://hc.example/iso","colour":"red","isolation":true,"reason":"home isolation"}],"removals":[]}
            """#)
        #expect(status == 200)

        let (keyedJournal, keyedStatus) = try await fetch(central, keyed: true)
        let list = try keyedJournal.watchList()
        let digester = try CredentialDigester(districtKey: Self.key)
        #expect(list.entries.map(\.credential) == [digester.digest("https://hc.example/iso")])
        #expect(list.entries.first?.reason == "" && keyedStatus.watchListRefused == nil)

        let (plainJournal, plainStatus) = try await fetch(central, keyed: false)
        #expect(try plainJournal.watchList().entries.isEmpty, "a list the gate cannot match is not applied")
        #expect(plainStatus.watchListRefused?.contains("districtKeyFile") == true)
        #expect(UplinkText.summary(plainStatus).contains("CRITICAL  watch list not applied"))
    }

    @Test("The pipeline with [central] districtKeyFile refuses an isolated person leaving, listed at the store by code")
    func pipelineEndToEnd() async throws {
        let central = try CentralLoopback()
        defer { central.cleanUp() }
        let keyFile = try writeKey(central)
        central.serveArguments = ["--district-key-file", keyFile]
        try await central.start()
        let (status, _) = try await central.admin(.POST, "/v1/watchlist/entries", body: #"""
            {"upserts":[{"credential":"https://hc.example/iso","colour":"yellow","isolation":true,"reason":"home isolation"}],"removals":[]}
            """#)
        #expect(status == 200)
        var journal = JournalConfiguration()
        journal.path = Fixture.journalPath(central.directory, "gate.sqlite")
        journal.minimumFreeMB = 0
        var upstream = CentralConfiguration(url: central.url, secretsFile: central.secretsFile)
        upstream.districtKeyFile = keyFile
        let lane = LaneConfiguration(id: "exit", direction: .out, scanners: ["scan-1"], thermometer: "thermo-1")
        let pipeline = try GatePipeline(gate: central.gate, setup: GateSetup(lanes: [lane], policy: Fixture.policyConfiguration(),
                                                                             central: upstream, journal: journal))
        let running = Task { await pipeline.run() }
        #expect(try await waitUntil(within: .seconds(15)) { try pipeline.journal.watchList().entries.count == 1 })
        var applied = false
        for _ in 0..<1_000 where !applied {
            applied = await pipeline.gate.watchListVersion > 0
            if !applied { try await Task.sleep(for: .milliseconds(10)) }
        }
        #expect(applied, "the list reached the lanes")
        pipeline.inbox.scan(device: "scan-1", Scan(bytes: Array("https://hc.example/iso".utf8), text: "https://hc.example/iso",
                                                   symbology: .qr, aimID: "]Q1", device: "usb:1:2"))
        pipeline.inbox.reading(device: "thermo-1", Fixture.body(36.6))
        #expect(try await waitUntil { try pipeline.journal.state().lastSeq == 1 })
        let entry = try #require(try pipeline.journal.pending(limit: 5).first)
        #expect(entry.decision == .refuse && entry.reason == .isolationExit)
        running.cancel()
        await running.value
    }
}
