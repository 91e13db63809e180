import CentralStore
import CheckpointCore
import Foundation
import Hummingbird

/// CSV responses: small tables at once, ledgers of entries streamed page by page (so an export of
/// any size needs memory for one page only). Column orders are stable: add columns at the end only.
enum CSVExport {
    /// Entries per store page while streaming.
    static let pageSize = 5000

    static func headers(filename: String) -> HTTPFields {
        [.contentType: CSVDocument.contentType, .contentDisposition: "attachment; filename=\"\(filename)\""]
    }

    static func response(_ document: CSVDocument, filename: String) -> Response {
        let data = document.encoded()
        var headers = headers(filename: filename)
        headers[.contentLength] = String(data.count)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static let entryHeader = [
        "occurred_at", "street", "community", "checkpoint", "gate", "lane", "direction", "decision", "reason",
        "credential_kind", "credential_payload", "credential_symbology", "temperature_c", "temperature_kind",
        "temperature_raw", "temperature_device", "clock_synced", "recorded_by", "policy_version", "journal_epoch", "seq",
        "id", "received_at",
    ]

    /// One entry's fields in `entryHeader` order; absent values are empty.
    static func entryFields(_ entry: StoredEntry) -> [String] {
        let r = entry.record
        return [
            time(r.occurredAt), entry.street, entry.community, entry.checkpoint, r.gate, r.lane, r.direction.rawValue,
            r.decision.rawValue, r.reason.rawValue, r.credential?.kind.rawValue ?? "", r.credential?.payload ?? "",
            r.credential?.symbology.rawValue ?? "", r.temperature.map { "\($0.celsius)" } ?? "",
            r.temperature?.kind.rawValue ?? "", r.temperature.map { "\($0.raw)" } ?? "", r.temperature?.device ?? "",
            String(r.clockSynced), r.recordedBy ?? "", r.policyVersion, r.journalEpoch.uuidString.lowercased(),
            String(r.seq), r.id.uuidString.lowercased(), time(entry.receivedAt),
        ]
    }

    static func alerts(_ alerts: [StoredAlert]) -> CSVDocument {
        CSVDocument(header: ["id", "kind", "raised_at", "occurred_at", "gate", "decision", "reason", "credential_payload",
                             "temperature_c", "detail", "journal_epoch", "seq", "entry_id"],
                    rows: alerts.map { a in
                        [String(a.id), a.kind.rawValue, time(a.raisedAt), time(a.occurredAt), a.gate, a.decision.rawValue,
                         a.reason.rawValue, a.credentialPayload ?? "", a.celsius.map { "\($0)" } ?? "", a.detail,
                         a.journalEpoch.uuidString.lowercased(), String(a.seq), a.entryID.uuidString.lowercased()]
                    })
    }

    /// One row per hour that has entries: the hour's start, a column per decision, and the total.
    static func hourly(_ rows: [HourlyRow]) -> CSVDocument {
        CSVDocument(header: ["hour_start"] + Decision.allCases.map(\.rawValue) + ["total"], rows: rows.map { row in
            [time(row.hourStart)] + Decision.allCases.map { String(row.counts[$0.rawValue] ?? 0) } + [String(row.total)]
        })
    }

    /// Entries as CSV, streamed. The first page is fetched before answering (so that an unknown
    /// place is still a 404); later pages are fetched while writing. A failure after the first page
    /// ends the response early (the client sees a truncated transfer, the log says why).
    static func entries(first: [StoredEntry], next: LedgerCursor?, filename: String, context: CentralRequestContext,
                        fetch: @escaping @Sendable (LedgerCursor) async throws -> LedgerPage) -> Response {
        let logger = context.logger
        let body = ResponseBody { writer in
            var buffer = ByteBuffer(bytes: CSVDocument.byteOrderMark)
            buffer.writeString(CSVDocument.line(entryHeader))
            var entries = first
            var cursor = next
            while true {
                for entry in entries { buffer.writeString(CSVDocument.line(entryFields(entry))) }
                try await writer.write(buffer)
                buffer.clear()
                guard let after = cursor else { break }
                do {
                    let page = try await fetch(after)
                    entries = page.entries
                    cursor = page.next
                } catch {
                    logger.error("CSV export ended early", metadata: ["error": "\(error)"])
                    throw error
                }
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers(filename: filename), body: body)
    }

    /// Entries known in full (passages), at once.
    static func entries(_ entries: [StoredEntry], filename: String) -> Response {
        response(CSVDocument(header: entryHeader, rows: entries.map(entryFields)), filename: filename)
    }

    static func time(_ date: Date) -> String { CheckpointJSON.formatTimestamp(date) }
}
