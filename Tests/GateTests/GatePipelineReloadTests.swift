import CheckpointConfig
import CheckpointCore
import Foundation
import Gate
import GatePipeline
import GateService
import Journal
import TestSupport
import Testing

/// `GatePipeline.apply`: a reloaded configuration taken between two events (FAKE relay lines that
/// record what was driven; the journal is real SQLite).
@Suite("The gate pipeline takes a reloaded configuration")
struct GatePipelineReloadTests {
    struct Rig {
        let dir: URL
        let pipeline: GatePipeline
        let opened: Mutex<[FakeOutputLine]>
        let setup: GateSetup
    }

    func rig() throws -> Rig {
        let dir = try TestEnvironment.temporaryDirectory("pipeline-reload")
        var policy = Fixture.policyConfiguration()
        policy.pairingWindowMs = 2_000
        policy.readingMaxAgeMs = 2_000
        var journal = JournalConfiguration()
        journal.path = Fixture.journalPath(dir)
        journal.minimumFreeMB = 0
        let lane = LaneConfiguration(id: "lane-1", direction: .in, scanners: ["scan-1"], thermometer: "thermo-1",
                                     relay: OutputLineSpec(address: .simulated("relay-a")), relayPulseMs: 20, indicatorMs: 20)
        let opened = Mutex<[FakeOutputLine]>([])
        let setup = GateSetup(lanes: [lane], policy: policy, journal: journal)
        let pipeline = try GatePipeline(gate: "gate-1", setup: setup, openLine: { spec, _ in
            let line = FakeOutputLine("\(spec.source)")
            opened.withLock { $0.append(line) }
            return line
        })
        return Rig(dir: dir, pipeline: pipeline, opened: opened, setup: setup)
    }

    func scan(_ payload: String) -> GateEvent {
        .scan(device: "scan-1", Scan(bytes: Array(payload.utf8), text: payload, symbology: .qr, aimID: "]Q1", device: "usb:1:2"))
    }

    @Test("A policy reloaded while a scan waits for its reading decides that person with the new threshold (the scan is kept)")
    func pendingScanKeptUnderNewPolicy() async throws {
        let r = try rig()
        defer { try? FileManager.default.removeItem(at: r.dir) }
        #expect(await r.pipeline.gate.handle(scan("https://hc.example/x")).isEmpty)
        var next = r.setup
        next.policy.feverThresholdCelsius = 38.0
        let notes = await r.pipeline.apply(next)
        #expect(notes.isEmpty)
        let records = await r.pipeline.gate.handle(.reading(device: "thermo-1", Fixture.body(37.6)))
        #expect(records.map(\.decision) == [.admit], "37.6 °C is below the reloaded 38.0 °C threshold")
        #expect(records.first?.credential?.payload == "https://hc.example/x")
        #expect(records.first?.policyVersion == PolicyVersion.of(next.policy))
    }

    @Test("An unchanged relay stays open, a changed one is released and reopened, a [journal] change is only noted")
    func linesReopenedOnlyWhenChanged() async throws {
        let r = try rig()
        defer { try? FileManager.default.removeItem(at: r.dir) }
        var next = r.setup
        next.policy.feverThresholdCelsius = 38.0
        await r.pipeline.apply(next)
        #expect(r.opened.withLock { $0.count } == 1, "the relay was not opened again")
        #expect(r.pipeline.actuators.first?.relay === r.opened.withLock { $0.first })

        next.lanes[0].relay = OutputLineSpec(address: .simulated("relay-b"))
        next.journal.retentionDays += 1
        let notes = await r.pipeline.apply(next)
        let lines = r.opened.withLock { $0 }
        #expect(lines.count == 2 && r.pipeline.actuators.first?.relay === lines.last)
        #expect(lines.first?.levels.last == .inactive)
        #expect(notes == ["[journal] changed: takes effect after a restart"])
        #expect(r.pipeline.setup.journal == r.setup.journal, "the journal in force is the one built with")
    }
}
