// gate-stream-harness — the gate's entry path as a process, for kill -9 and outage tests.
//
// Feeds synthetic scan + reading events for lane "lane-1" into the real GateService (pairing,
// policy, EntryPath: journal commit, then a simulated relay line), and runs the real Uplink to
// the central store given. Prints `journaled <seq> <id>` after each commit returned, continues
// until the journal holds `--total` entries (so a restarted run resumes where the killed one
// stopped), waits until the store has acknowledged all of them, prints `drained` and exits 0.
//
// Usage: gate-stream-harness JOURNAL GATE CENTRAL_URL SECRETS_FILE TOTAL [BACKOFF_MAX_MS [PACE_MS]]
// (PACE_MS: pause between two persons, default 0.)
import CheckpointConfig
import CheckpointCore
import DeviceIO
import Foundation
import Gate
import GateService
import Journal
import Uplink

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
    let journal = try Journal.open(path: args[1], gate: args[2], minimumFreeBytes: 0)
    let client = try CentralClient(baseURL: args[3], gate: args[2], secret: try SecretsFile.read(args[4]), requestTimeout: .seconds(5))
    var settings = Uplink.Settings()
    settings.heartbeatInterval = .seconds(2)
    settings.backoff = Backoff(initial: .milliseconds(50), maximum: .milliseconds(backoffMax))
    let uplink = Uplink(journal: journal, client: client, settings: settings)
    let relay = SimulatedOutputLine(name: "relay", now: OutputLineFactory.monotonicNow)
    let actuator = LaneActuator(lane: "lane-1", relay: relay, pulse: .milliseconds(5), indicatorTime: .milliseconds(5))
    let path = EntryPath(committer: GroupCommitter(journal: journal), actuators: [actuator],
                         effects: .init(journaled: { _, record in
                             say("journaled \(record.seq) \(record.id.uuidString.lowercased())")
                             uplink.notify()
                         }))
    var policy = PolicyConfiguration()
    policy.credentialRules = [.init(name: "hc", match: .prefix("https://hc.example/"), action: .accept)]
    let lane = LaneConfiguration(id: "lane-1", direction: .in, scanners: ["scan-1"], thermometer: "thermo-1")
    let service = GateService(lanes: [lane], policy: Policy(policy), entryPath: path)
    let uplinkTask = Task { await uplink.run() }

    while try journal.state().lastSeq < total {
        let n = try journal.state().lastSeq + 1
        let text = "https://hc.example/person-\(n)"
        _ = await service.handle(.scan(device: "scan-1", Scan(bytes: Array(text.utf8), text: text, symbology: .qr, aimID: "]Q1", device: "sim")))
        _ = await service.handle(.reading(device: "thermo-1", TemperatureReading(celsius: 36.5, kind: .body, raw: 365, device: "thermo-1")))
        if pace > 0 { try await Task.sleep(for: .milliseconds(pace)) }
    }
    uplink.notify()
    while try journal.state().backlog > 0 {
        try await Task.sleep(for: .milliseconds(20))
    }
    say("drained")
    uplinkTask.cancel()
    await client.shutdown()
    exit(0)
} catch {
    FileHandle.standardError.write(Data("gate-stream-harness: \(error)\n".utf8))
    exit(1)
}
