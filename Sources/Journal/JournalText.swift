import CheckpointCore
import Foundation

/// The technician's text for journal state and entries (shared by the daemon's control handler
/// and `checkpointctl journal` reading the file itself).
public enum JournalText {
    public static func summary(_ s: JournalState) -> String {
        var lines = [
            "journal   \(s.path)",
            "gate      \(s.gate)   epoch \(s.journalEpoch.uuidString.lowercased())",
            "seq       last \(s.lastSeq), acknowledged through \(s.ackedThrough), backlog \(s.backlog)",
            "held      \(s.rows) entries; watch list version \(s.watchListVersion)",
        ]
        if let oldest = s.oldestUnacknowledged {
            lines.append("oldest unacknowledged entry journaled at \(CheckpointJSON.formatTimestamp(oldest))")
        }
        return lines.joined(separator: "\n")
    }

    /// One line per entry: seq, time, lane/direction, decision, reason, °C, credential (shortened;
    /// an ID card as `ID card …123X`, the last 4 characters the person on duty may see).
    public static func line(_ r: EntryRecord) -> String {
        let t = r.temperature.map { String(format: "%.1f°C %@", $0.celsius, $0.kind.rawValue) } ?? "-"
        var code = r.credential?.payload ?? "-"
        if let c = r.credential, c.kind == .idCard { code = "ID card …\(c.lastFour ?? "????")" }
        if code.count > 40 { code = String(code.prefix(37)) + "…" }
        return "\(r.seq)\t\(CheckpointJSON.formatTimestamp(r.occurredAt))\t\(r.lane)/\(r.direction.rawValue)\t\(r.decision.rawValue)\t\(r.reason.rawValue)\t\(t)\t\(code)"
    }
}
