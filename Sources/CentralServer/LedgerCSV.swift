import CentralStore
import CheckpointCore
import Foundation

/// The CSV layouts of the exports: one row per entry, per alert, per hour. Times are RFC 3339 UTC;
/// temperatures in °C with two decimals; absent values are empty cells.
enum LedgerCSV {
    static let entryHeader = [
        "occurredAt", "street", "community", "checkpoint", "gate", "lane", "direction", "decision", "reason",
        "credentialKind", "credentialSymbology", "credentialPayload", "celsius", "temperatureKind", "temperatureRaw",
        "temperatureDevice", "recordedBy", "policyVersion", "clockSynced", "receivedAt", "journalEpoch", "seq", "id",
    ]

    static func entries(_ entries: [StoredEntry]) -> CSVDocument {
        CSVDocument(header: entryHeader, rows: entries.map(entryRow))
    }

    static func entryRow(_ entry: StoredEntry) -> [String] {
        let r = entry.record
        return [
            time(r.occurredAt), entry.street, entry.community, entry.checkpoint, r.gate, r.lane, r.direction.rawValue,
            r.decision.rawValue, r.reason.rawValue,
            r.credential?.kind.rawValue ?? "", r.credential?.symbology.rawValue ?? "", r.credential?.payload ?? "",
            r.temperature.map { celsius($0.celsius) } ?? "", r.temperature?.kind.rawValue ?? "",
            r.temperature.map { String($0.raw) } ?? "", r.temperature?.device ?? "",
            r.recordedBy ?? "", r.policyVersion, String(r.clockSynced), time(entry.receivedAt),
            uuid(r.journalEpoch), String(r.seq), uuid(r.id),
        ]
    }

    static let alertHeader = [
        "id", "kind", "raisedAt", "occurredAt", "gate", "decision", "reason", "credentialPayload", "celsius",
        "detail", "journalEpoch", "seq", "entryID",
    ]

    static func alerts(_ alerts: [StoredAlert]) -> CSVDocument {
        CSVDocument(header: alertHeader, rows: alerts.map { a in
            [String(a.id), a.kind.rawValue, time(a.raisedAt), time(a.occurredAt), a.gate, a.decision.rawValue,
             a.reason.rawValue, a.credentialPayload ?? "", a.celsius.map(celsius) ?? "", a.detail,
             uuid(a.journalEpoch), String(a.seq), uuid(a.entryID)]
        })
    }

    /// One row per hour that has entries: the hour's start, a column per decision, and the total.
    static func hourly(_ rows: [HourlyRow]) -> CSVDocument {
        CSVDocument(header: ["hourStart"] + Decision.allCases.map(\.rawValue) + ["total"], rows: rows.map { row in
            [time(row.hourStart)] + Decision.allCases.map { String(row.counts[$0.rawValue] ?? 0) } + [String(row.total)]
        })
    }

    static func time(_ date: Date) -> String { CheckpointJSON.formatTimestamp(date) }
    static func uuid(_ id: UUID) -> String { id.uuidString.lowercased() }
    static func celsius(_ value: Double) -> String { String(format: "%.2f", value) }
}
