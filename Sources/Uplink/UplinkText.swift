import CheckpointCore
import Foundation

/// The technician's text for the uplink's state (`checkpointctl uplink`).
public enum UplinkText {
    public static func summary(_ s: UplinkStatus) -> String {
        var lines = ["central   \(s.centralURL)"]
        lines.append("contact   " + (s.lastContact.map { "last \(CheckpointJSON.formatTimestamp($0))" } ?? "never since start"))
        lines.append("backlog   \(s.backlog) (acknowledged through \(s.acknowledgedThrough); \(s.recordsSent) records sent since start)")
        lines.append("watchlist version \(s.watchListVersion)")
        if let offset = s.clockOffsetSeconds { lines.append(String(format: "clock     store − gate = %+.3f s", offset)) }
        if let e = s.lastError { lines.append("error     \(e) (\(s.consecutiveFailures) consecutive failures)") }
        if s.rejectedRecords > 0 {
            lines.append("REJECTED  \(s.rejectedRecords) record(s) refused by the store, kept in the journal; last \(s.lastRejection ?? "")")
        }
        if let b = s.batchSize { lines.append("batches   at most \(b) records (the store answered 413)") }
        if let r = s.credentialRefused { lines.append("CRITICAL  the store refuses this gate's credential: \(r) — check the secrets file and the registration") }
        if let w = s.watchListRefused { lines.append("CRITICAL  watch list not applied: \(w)") }
        if let c = s.conflict { lines.append("CONFLICT  \(c) — ingest stopped; resolve at the store, then restart checkpointd") }
        return lines.joined(separator: "\n")
    }
}
