import CheckpointCore
import Foundation

/// The clerks' spreadsheet spelling of a ledger (RFC 4180: comma-separated, CRLF line ends, fields
/// with comma, quote, CR or LF quoted with doubled quotes, UTF-8). The server writes `headerLine`
/// then `line(for:)` for every entry of every page, so an export of any size streams.
///
/// Text that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab or CR) is
/// prefixed with `'` in the free-text columns (payload, recorded by, lane, policy version, device).
/// The column order is stable: add columns at the end only.
public enum LedgerCSV {
    public static let columns = [
        "occurred_at", "street", "community", "checkpoint", "gate", "lane", "direction", "decision", "reason",
        "credential_kind", "credential_payload", "credential_symbology", "temperature_c", "temperature_kind",
        "temperature_raw", "temperature_device", "clock_synced", "recorded_by", "policy_version", "journal_epoch", "seq",
        "id", "received_at",
    ]

    /// The header line, CRLF-terminated.
    public static var headerLine: String { line(columns) }

    /// The fields of one entry, in `columns` order, unquoted.
    public static func fields(_ entry: StoredEntry) -> [String] {
        let r = entry.record
        return [
            CheckpointJSON.formatTimestamp(r.occurredAt), entry.street, entry.community, entry.checkpoint, r.gate,
            neutralised(r.lane), r.direction.rawValue, r.decision.rawValue, r.reason.rawValue,
            r.credential?.kind.rawValue ?? "", neutralised(r.credential?.payload ?? ""), r.credential?.symbology.rawValue ?? "",
            r.temperature.map { "\($0.celsius)" } ?? "", r.temperature?.kind.rawValue ?? "",
            r.temperature.map { "\($0.raw)" } ?? "", neutralised(r.temperature?.device ?? ""), r.clockSynced ? "true" : "false",
            neutralised(r.recordedBy ?? ""), neutralised(r.policyVersion), r.journalEpoch.uuidString.lowercased(), "\(r.seq)",
            r.id.uuidString.lowercased(), CheckpointJSON.formatTimestamp(entry.receivedAt),
        ]
    }

    /// One entry as a CSV line, CRLF-terminated.
    public static func line(for entry: StoredEntry) -> String { line(fields(entry)) }

    /// Fields joined as one CSV line, quoted where needed, CRLF-terminated.
    public static func line(_ fields: [String]) -> String {
        fields.map(quoted).joined(separator: ",") + "\r\n"
    }

    static func quoted(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func neutralised(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return text }
        return "'" + text
    }
}
