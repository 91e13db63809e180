import ArgumentParser
import CheckpointCore
import Foundation
import Journal

/// `checkpoint-sim backlog`: a gate journal holding a long backlog, as after days without the
/// central store — for trying an uplink and for the backlog-drain benchmark.
struct BacklogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backlog",
        abstract: "Create a gate journal holding COUNT admitted entries, none acknowledged (for uplink trials and benchmarks).")

    @Option(help: "The journal file to create (must not exist).")
    var journal: String

    @Option(help: "The gate id the journal belongs to (the store must know it).")
    var gate: String

    @Option(help: "How many entries (1…10000000).")
    var count: Int

    @Option(help: "The lane the entries name.")
    var lane = "lane-1"

    func validate() throws {
        guard (1...10_000_000).contains(count) else { throw ValidationError("--count must be 1…10000000") }
        guard !FileManager.default.fileExists(atPath: journal) else { throw ValidationError("\(journal) exists") }
    }

    /// Entries dated 10 ms apart and ending now (so the store finds them plausible), each a
    /// distinct code with a body temperature, appended in transactions of 1000.
    func run() throws {
        let journal = try Journal.open(path: self.journal, gate: gate, minimumFreeBytes: 0)
        let endMs = Int64(Date().timeIntervalSince1970 * 1000)
        let bootID = (try? String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? UUID().uuidString.lowercased()
        var next = 0
        while next < count {
            let drafts = (next..<min(count, next + 1000)).map { i in
                EntryDraft(clock: ClockFacts(wallClock: Date(timeIntervalSince1970: (Double(endMs - 10 * Int64(count - i)) + 0.5) / 1000), clockSynced: true,
                                             bootID: bootID, monotonicNanos: UInt64(i) * 1_000_000),
                           content: EntryContent(lane: lane, direction: .in,
                                                 credential: Credential(kind: .code, payload: "HC1:BACKLOG-\(i)", symbology: .qr),
                                                 temperature: TemperatureReading(celsius: 36.5, kind: .body, raw: 3650, device: "simulated"),
                                                 decision: .admit, reason: .admitted, policyVersion: "backlog"))
            }
            _ = try journal.append(drafts)
            next += drafts.count
        }
        print("\(count) entries journaled in \(self.journal) for gate \(gate), epoch \(journal.epoch.uuidString.lowercased())")
    }
}
