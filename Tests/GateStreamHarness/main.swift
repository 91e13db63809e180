// gate-stream-harness — the gate's entry path as a process, for kill -9 and outage tests.
//
// Builds the real GatePipeline (one lane "lane-1" with a simulated relay line, the journal, the
// uplink to the central store given) and feeds synthetic scan + reading events into its gate
// (pairing, policy, EntryPath: journal commit, then the relay). Prints `journaled <seq> <id>` after
// each commit returned, continues until the journal holds `--total` entries (so a restarted run
// resumes where the killed one stopped), waits until the store has acknowledged all of them, prints
// `drained` and exits 0.
//
// Usage: gate-stream-harness JOURNAL GATE CENTRAL_URL SECRETS_FILE TOTAL [BACKOFF_MAX_MS [PACE_MS]]
// (PACE_MS: pause between two persons, default 0.)
import CheckpointConfig
import CheckpointCore
import Foundation
import GatePipeline
import GateService
import Journal

/// Writes one line to standard output at once (no buffering that a kill -9 would lose).
func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

let args = CommandLine.arguments
guard args.count >= 6, let total = Int64(args[5]) else {
    FileHandle.standardError.write(Data("usage: gate-stream-harness JOURNAL GATE CENTRAL_URL SECRETS_FILE TOTAL [BACKOFF_MAX_MS]\n".utf8))
    exit(2)
}
let backoffMax = args.count > 6 ? Int(args[6]) ?? 500 : 500
let pace = args.count > 7 ? Int(args[7]) ?? 0 : 0

do {
    var central = CentralConfiguration(url: args[3], secretsFile: args[4])
    central.heartbeatSeconds = 2
    central.requestTimeoutSeconds = 5
    central.backoffInitialMs = 50
    central.backoffMaxMs = max(50, backoffMax)
    var journalConfiguration = JournalConfiguration()
    journalConfiguration.path = args[1]
    journalConfiguration.minimumFreeMB = 0
    var policy = PolicyConfiguration()
    policy.credentialRules = [.init(name: "hc", match: .prefix("https://hc.example/"), action: .accept)]
    let lane = LaneConfiguration(id: "lane-1", direction: .in, scanners: ["scan-1"], thermometer: "thermo-1",
                                 relay: OutputLineSpec(address: .simulated("relay")), relayPulseMs: 5, indicatorMs: 5)
    let pipeline = try GatePipeline(
        gate: args[2], setup: GateSetup(lanes: [lane], policy: policy, central: central, journal: journalConfiguration),
        feedback: .init(journaled: { _, record in say("journaled \(record.seq) \(record.id.uuidString.lowercased())") }))
    guard let uplink = pipeline.uplink else {
        FileHandle.standardError.write(Data("gate-stream-harness: no uplink (the log above says why)\n".utf8))
        exit(1)
    }
    let running = Task { await pipeline.run() }
    let journal = pipeline.journal

    while try journal.state().lastSeq < total {
        let n = try journal.state().lastSeq + 1
        let text = "https://hc.example/person-\(n)"
        _ = await pipeline.gate.handle(.scan(device: "scan-1", Scan(bytes: Array(text.utf8), text: text, symbology: .qr, aimID: "]Q1", device: "sim")))
        _ = await pipeline.gate.handle(.reading(device: "thermo-1", TemperatureReading(celsius: 36.5, kind: .body, raw: 365, device: "thermo-1")))
        if pace > 0 { try await Task.sleep(for: .milliseconds(pace)) }
    }
    uplink.notify()
    while try journal.state().backlog > 0 {
        try await Task.sleep(for: .milliseconds(20))
    }
    say("drained")
    running.cancel()
    exit(0)
} catch {
    FileHandle.standardError.write(Data("gate-stream-harness: \(error)\n".utf8))
    exit(1)
}
