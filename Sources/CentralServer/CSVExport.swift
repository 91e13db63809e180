import CentralStore
import CheckpointCore
import Foundation
import Hummingbird

/// CSV responses: small tables at once, ledgers of entries streamed page by page in the store's
/// `LedgerCSV` layout (so an export of any size needs memory for one page only).
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

    /// Entries in `LedgerCSV` layout. The first page is fetched before answering (so that an unknown
    /// place is still a 404); later pages are fetched while writing. A failure after the first page
    /// ends the response early (the client sees a truncated transfer, the log says why).
    static func entries(first: [StoredEntry], next: LedgerCursor?, filename: String, context: CentralRequestContext,
                        fetch: @escaping @Sendable (LedgerCursor) async throws -> LedgerPage) -> Response {
        let logger = context.logger
        let body = ResponseBody { writer in
            var buffer = ByteBuffer(bytes: CSVDocument.byteOrderMark)
            buffer.writeString(LedgerCSV.headerLine)
            var entries = first
            var cursor = next
            while true {
                for entry in entries { buffer.writeString(LedgerCSV.line(for: entry)) }
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

    /// Entries known in full (passages), in `LedgerCSV` layout, at once.
    static func entries(_ entries: [StoredEntry], filename: String) -> Response {
        var data = Data(CSVDocument.byteOrderMark)
        data.append(Data(LedgerCSV.headerLine.utf8))
        for entry in entries { data.append(Data(LedgerCSV.line(for: entry).utf8)) }
        var headers = headers(filename: filename)
        headers[.contentLength] = String(data.count)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func time(_ date: Date) -> String { CheckpointJSON.formatTimestamp(date) }
}
