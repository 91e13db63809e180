import DeviceRuntime
import Foundation
import GateService
import Horn
import Journal
import Uplink

/// What `checkpointctl status` gathered from the daemon: each part as the daemon reported it, or
/// why it could not be read. Encoded as the `--json` output.
struct GateHealth: Encodable {
    /// How bad the worst problem is; the exit status of `checkpointctl status`.
    enum Severity: String, Encodable, Comparable {
        case ok, warning, critical

        /// Monitoring-plugin convention: 0 ok, 1 warning, 2 critical (3: the daemon is unreachable).
        var exitCode: Int32 {
            switch self {
            case .ok: 0
            case .warning: 1
            case .critical: 2
            }
        }

        static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
        private var rank: Int { self == .ok ? 0 : self == .warning ? 1 : 2 }
    }

    struct Problem: Encodable, Equatable {
        var severity: Severity
        var text: String
    }

    var gate: GateStatusReport?
    var journal: JournalState?
    /// nil with `uplinkConfigured` false: an offline gate.
    var uplink: UplinkStatus?
    var uplinkConfigured = true
    var thermometers: [ThermometerStatus] = []
    var idReaders: [IDReaderStatus] = []
    var scanners: [ScannerStatus] = []
    var horn: HornSnapshot?
    /// Parts the daemon could not report, by command (`journal.status: …`).
    var unreadable: [String: String] = [:]

    /// Backlog above which the uplink is behind (entries not yet at the store).
    static let backlogWarning: Int64 = 1_000
    /// Gate clock offset from the store above which records' times are suspect, seconds.
    static let clockOffsetWarningSeconds = 2.0

    /// Everything wrong, worst first. Critical: the gate cannot decide or cannot deliver (journal
    /// unreadable or failing, store refusing the gate's credential or in conflict, a thermometer not
    /// attached — everyone at its lane is referred). Warning: delivery is failing or behind, records
    /// were refused, the clock is off, an ID reader is not ready, the horn failed.
    var problems: [Problem] {
        var found: [Problem] = []
        func add(_ severity: Severity, _ text: String) { found.append(Problem(severity: severity, text: text)) }
        for (command, error) in unreadable.sorted(by: { $0.key < $1.key }) {
            add(command.hasPrefix("journal") || command.hasPrefix("gate") ? .critical : .warning, "\(command): \(error)")
        }
        if let gate, gate.journalFailures > 0 {
            add(.critical, "\(gate.journalFailures) entries could not be journaled")
        }
        for t in thermometers where t.port != "open" {
            add(.critical, "thermometer \(t.id) (\(t.model)) is \(t.port): its lane refers everyone")
        }
        for s in scanners where !s.isOpen {
            add(.warning, "scanner \(s.id)\(s.path.isEmpty ? "" : " at \(s.path)") is \(s.port): nobody can scan at its lane")
        }
        for r in idReaders where r.state != "ready" {
            add(.warning, "ID reader \(r.id) (\(r.model)) is \(r.state)")
        }
        if let uplink {
            if let refused = uplink.credentialRefused { add(.critical, "the central store refuses this gate's credential: \(refused)") }
            if let conflict = uplink.conflict { add(.critical, "ingest stopped on a conflict: \(conflict)") }
            if uplink.consecutiveFailures > 0 {
                add(.warning, "\(uplink.consecutiveFailures) failed attempts to reach \(uplink.centralURL): \(uplink.lastError ?? "unknown error")")
            }
            if uplink.backlog > Self.backlogWarning { add(.warning, "\(uplink.backlog) entries not yet at the central store") }
            if uplink.rejectedRecords > 0 {
                add(.warning, "\(uplink.rejectedRecords) entries refused by the central store (last: \(uplink.lastRejection ?? "?"))")
            }
            if let offset = uplink.clockOffsetSeconds, abs(offset) > Self.clockOffsetWarningSeconds {
                add(.warning, "the gate's clock is \(String(format: "%+.1f", offset)) s off the central store's")
            }
        }
        if let horn, horn.failures > 0 { add(.warning, "the horn failed to play \(horn.failures) announcements") }
        return found.sorted { $0.severity > $1.severity }
    }

    var severity: Severity { problems.map(\.severity).max() ?? .ok }

    private enum CodingKeys: String, CodingKey {
        case severity, problems, gate, journal, uplink, thermometers, scanners, idReaders, horn, unreadable
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(severity, forKey: .severity)
        try c.encode(problems, forKey: .problems)
        try c.encodeIfPresent(gate, forKey: .gate)
        try c.encodeIfPresent(journal, forKey: .journal)
        try c.encodeIfPresent(uplink, forKey: .uplink)
        try c.encode(thermometers, forKey: .thermometers)
        try c.encode(scanners, forKey: .scanners)
        try c.encode(idReaders, forKey: .idReaders)
        try c.encodeIfPresent(horn, forKey: .horn)
        try c.encode(unreadable, forKey: .unreadable)
    }
}
