import CheckpointConfig
import CheckpointCore
import DeviceIO
import Foundation
import GatePipeline
import Journal
import TestSupport
import Testing

/// The person on duty's inputs through the pipeline: SIMULATED input lines (no GPIO here; the QEMU
/// tier drives real ones through gpio-sim) and a FAKE relay; the journal is real SQLite.
@Suite("The exit button and the door contact journal through the gate pipeline")
struct LaneInputTests {
    struct Rig {
        let dir: URL
        let pipeline: GatePipeline
        let relay: FakeOutputLine
        let button: SimulatedInputLine
        let door: SimulatedInputLine
        let running: Task<Void, Never>

        func records() throws -> [EntryRecord] { try pipeline.journal.pending(limit: 100) }
        func stop() {
            running.cancel()
            try? FileManager.default.removeItem(at: dir)
        }
    }

    func rig(heldOpenSeconds: Int = 60) throws -> Rig {
        let dir = try TestEnvironment.temporaryDirectory("lane-inputs")
        var journal = JournalConfiguration()
        journal.path = Fixture.journalPath(dir)
        journal.minimumFreeMB = 0
        var lane = LaneConfiguration(id: "lane-1", direction: .out, scanners: ["scan-1"], thermometer: nil,
                                     relay: OutputLineSpec(address: .simulated("relay")), relayPulseMs: 50)
        lane.exitButton = InputLineSpec(address: .simulated("button"), debounceMs: 20)
        lane.doorContact = DoorContactConfiguration(line: InputLineSpec(address: .simulated("door"), debounceMs: 20),
                                                    heldOpenSeconds: heldOpenSeconds, releaseWindowMs: 5_000)
        let relay = FakeOutputLine("fake-relay")
        let button = SimulatedInputLine(name: "simulated-button")
        let door = SimulatedInputLine(name: "simulated-door")
        let pipeline = try GatePipeline(gate: "gate-1", setup: GateSetup(lanes: [lane], policy: Fixture.policyConfiguration(), journal: journal),
                                        openLine: { _, _ in relay },
                                        openInput: { spec, _ in spec.address == .simulated("button") ? button : door })
        let running = Task { await pipeline.run() }
        return Rig(dir: dir, pipeline: pipeline, relay: relay, button: button, door: door, running: running)
    }

    /// Presses and releases `line` cleanly (each level held past the debounce).
    func press(_ line: SimulatedInputLine, rig: Rig, expecting count: Int) async throws {
        line.set(.active)
        #expect(try await waitUntil { try rig.records().count == count })
        line.set(.inactive)
    }

    @Test("A press of the simulated exit button journals a manualOpen recorded by the button, then pulses the lane's relay")
    func buttonOpens() async throws {
        let r = try rig()
        defer { r.stop() }
        #expect(await waitUntil { r.relay.levels == [.inactive] })
        r.button.set(.active)
        #expect(try await waitUntil { try r.records().count == 1 })
        let record = try #require(try r.records().first)
        #expect(record.reason == .manualOpen && record.decision == .admit)
        #expect(record.recordedBy == "exitButton:lane-1")
        #expect(record.credential == nil)
        #expect(await waitUntil { r.relay.levels == [.inactive, .active, .inactive] }, "the relay pulses once after the commit")
    }

    @Test("A 5 ms chatter on the simulated exit button is one press: one manualOpen before the door's next event")
    func chatterIsOnePress() async throws {
        let r = try rig(heldOpenSeconds: 1)
        defer { r.stop() }
        let t0 = MonotonicClock.now()
        for (i, level) in [LineLevel.active, .inactive, .active, .inactive, .active].enumerated() {
            r.button.set(level, at: t0 + .milliseconds(i))
        }
        #expect(try await waitUntil { try r.records().count == 1 })
        // The door, released by that open, is held open: its alert comes a second after any second press would have.
        r.door.set(.active)
        #expect(try await waitUntil(within: .seconds(5)) { try r.records().count == 2 })
        #expect(try r.records().map(\.reason) == [.manualOpen, .doorHeldOpen], "the chatter made exactly one manualOpen")
    }

    @Test("A door opened on the simulated contact without a release journals one doorForced event and drives no line")
    func doorForced() async throws {
        let r = try rig()
        defer { r.stop() }
        r.door.set(.active)
        #expect(try await waitUntil { try r.records().count == 1 })
        let record = try #require(try r.records().first)
        #expect(record.reason == .doorForced && record.decision == .refer)
        #expect(record.recordedBy == "doorContact:lane-1" && record.credential == nil)
        #expect(r.relay.levels == [.inactive], "a door event drives no line")
    }

    @Test("A door opened after the exit button released it raises no alert; held open past heldOpenSeconds it raises doorHeldOpen")
    func releasedThenHeldOpen() async throws {
        let r = try rig(heldOpenSeconds: 1)
        defer { r.stop() }
        try await press(r.button, rig: r, expecting: 1)
        r.door.set(.active)
        #expect(try await waitUntil(within: .seconds(5)) { try r.records().count == 2 })
        #expect(try r.records().map(\.reason) == [.manualOpen, .doorHeldOpen], "authorised opening: no doorForced")
        r.door.set(.inactive)
    }
}
