import CheckpointConfig
import CheckpointCore
import DeviceIO
import Foundation
import GatePipeline
import Journal
import TestSupport
import Testing

/// The exit button's opens and the door's alerts at the REAL central store (`checkpoint-central`,
/// SQLite, over loopback). The inputs are SIMULATED lines (no GPIO here).
@Suite("The person on duty's inputs reach the real central store", .serialized)
struct PersonOnDutyInputsAtStoreTests {
    @Test("Door alerts and a button's manualOpen made while the store is down arrive once: alerts, not ledger entries")
    func doorAlertsAndButtonAtStore() async throws {
        let central = try CentralLoopback()
        defer { central.cleanUp() }
        var journal = JournalConfiguration()
        journal.path = Fixture.journalPath(central.directory, "gate.sqlite")
        journal.minimumFreeMB = 0
        var upstream = CentralConfiguration(url: central.url, secretsFile: central.secretsFile)
        upstream.backoffInitialMs = 50
        upstream.backoffMaxMs = 200
        var lane = LaneConfiguration(id: "exit", direction: .out, scanners: ["scan-1"], thermometer: nil,
                                     relay: OutputLineSpec(address: .simulated("relay")), relayPulseMs: 50)
        lane.exitButton = InputLineSpec(address: .simulated("button"))
        lane.doorContact = DoorContactConfiguration(line: InputLineSpec(address: .simulated("door")), heldOpenSeconds: 1)
        let button = SimulatedInputLine(name: "simulated-button")
        let door = SimulatedInputLine(name: "simulated-door")
        let pipeline = try GatePipeline(gate: central.gate,
                                        setup: GateSetup(lanes: [lane], policy: Fixture.policyConfiguration(), central: upstream, journal: journal),
                                        openInput: { spec, _ in spec.address == .simulated("button") ? button : door })
        let running = Task { await pipeline.run() }
        defer { running.cancel() }

        door.set(.active)
        #expect(try await waitUntil(within: .seconds(5)) { try pipeline.journal.state().lastSeq == 2 }, "doorForced, then doorHeldOpen")
        door.set(.inactive)
        button.set(.active)
        #expect(try await waitUntil { try pipeline.journal.state().lastSeq == 3 })
        let journaled = try pipeline.journal.pending(limit: 10)
        #expect(journaled.map(\.reason) == [.doorForced, .doorHeldOpen, .manualOpen])
        #expect(journaled.last?.recordedBy == "exitButton:exit")

        try await central.start()
        #expect(try await waitUntil(within: .seconds(15)) { try pipeline.journal.state().ackedThrough == 3 },
                "the store acknowledges through seq 3: the door events hold their keys")
        let stored = try central.storedRecords()
        #expect(stored.map(\.seq) == [3], "only the manualOpen is a ledger entry")
        #expect(stored.first?.id == journaled.last?.id.uuidString.lowercased())
        let (status, body) = try await central.admin(.GET, "/v1/alerts?kind=doorForced,doorHeldOpen")
        #expect(status == 200)
        let alerts = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])["alerts"] as? [[String: Any]]
        #expect(alerts?.compactMap { $0["kind"] as? String } == ["doorForced", "doorHeldOpen"])
        #expect(alerts?.compactMap { $0["seq"] as? Int } == [1, 2])
    }
}
