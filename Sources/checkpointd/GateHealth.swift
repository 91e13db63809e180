import CheckpointCore
import DeviceIO
import Dispatch
import Foundation
import GateService
import Journal
import Uplink

/// The running gate as systemd sees it: the watchdog's probes through the decision path (the gate
/// actor, a journal write-lock round trip) and the one-line `STATUS=` a technician reads in
/// `systemctl status`.
struct GateHealth: Sendable {
    let lanes: Int
    let journal: Journal
    let gate: GateService
    let registry: DeviceStateRegistry
    let uplink: Uplink?
    /// The journal's state as the last journal probe read it.
    private let journalState = Mutex<JournalState?>(nil)
    /// The journal probe blocks in SQLite: on a thread of its own, never the cooperative pool.
    private static let journalQueue = DispatchQueue(label: "checkpoint.watchdog.journal")

    init(lanes: Int, journal: Journal, gate: GateService, registry: DeviceStateRegistry, uplink: Uplink?) {
        self.lanes = lanes
        self.journal = journal
        self.gate = gate
        self.registry = registry
        self.uplink = uplink
    }

    /// The gate actor answers; the journal could start a commit now (and its state is read).
    var probes: [WatchdogProbe] {
        [WatchdogProbe("gate") { [gate] in _ = await gate.watchListVersion },
         WatchdogProbe("journal") { try await readJournal() }]
    }

    private func readJournal() async throws {
        let state = try await withCheckedThrowingContinuation { [journal] (c: CheckedContinuation<JournalState, any Error>) in
            Self.journalQueue.async {
                c.resume(with: Result {
                    try journal.probeWriteLock()
                    return try journal.state()
                })
            }
        }
        journalState.withLock { $0 = state }
    }

    /// "1 lane; devices 2/3 up (not: north); journal last 12, backlog 3; central: last contact 5 s ago".
    func statusLine(now: Date = Date()) async -> String {
        var parts = ["\(lanes) lane\(lanes == 1 ? "" : "s")"]
        let devices = registry.all
        let down = devices.filter { $0.status != .ok }.map(\.id)
        var deviceText = "devices \(devices.count - down.count)/\(devices.count) up"
        if !down.isEmpty { deviceText += " (not: \(down.prefix(3).joined(separator: ", "))\(down.count > 3 ? ", …" : ""))" }
        parts.append(deviceText)
        if let state = journalState.withLock({ $0 }) { parts.append("journal last \(state.lastSeq), backlog \(state.backlog)") }
        if let uplink {
            parts.append(Self.describe(await uplink.currentStatus(), now: now))
        } else {
            parts.append("no central store (offline)")
        }
        return parts.joined(separator: "; ")
    }

    /// The uplink's part of the status line; problems first.
    static func describe(_ status: UplinkStatus, now: Date) -> String {
        if let conflict = status.conflict { return "CENTRAL CONFLICT, ingest stopped: \(conflict)" }
        if let refused = status.credentialRefused { return "CRITICAL: the central store refuses our credential: \(refused.prefix(80))" }
        var text = "central: " + (status.lastContact.map { "last contact \(Int(now.timeIntervalSince($0).rounded())) s ago" } ?? "no contact yet")
        if status.rejectedRecords > 0 { text += ", \(status.rejectedRecords) record(s) REJECTED" }
        guard status.consecutiveFailures > 0 else { return text }
        return text + ", \(status.consecutiveFailures) failure(s): \(String((status.lastError ?? "").prefix(80)))"
    }
}
