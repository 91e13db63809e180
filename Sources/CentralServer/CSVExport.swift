import CentralStore
import CheckpointCore
import Foundation
import Hummingbird

/// CSV responses: small tables at once, ledgers of entries streamed page by page (so an export of
/// any size needs memory for one page only). Column orders are stable: add columns at the end only.
/// Times are RFC 3339 with milliseconds in `timeZone` (`?utcOffset=+08:00`; UTC by default).
struct CSVExport {
    /// Entries per store page while streaming.
    static let pageSize = 5000

    static let entryHeader = [
        "occurred_at", "street", "community", "checkpoint", "gate", "lane", "direction", "decision", "reason",
        "credential_kind", "credential_payload", "credential_symbology", "temperature_c", "temperature_kind",
        "temperature_raw", "temperature_device", "clock_synced", "recorded_by", "policy_version", "journal_epoch", "seq",
        "id", "received_at",
    ]

    static let alertHeader = [
        "id", "kind", "raised_at", "occurred_at", "gate", "decision", "reason", "credential_payload", "temperature_c",
        "detail", "journal_epoch", "seq", "entry_id",
    ]

    let timeZone: TimeZone

    init(timeZone: TimeZone = .gmt) { self.timeZone = timeZone }

    /// `?utcOffset=±HH:MM` (e.g. `+08:00`), for the clerks' local time; 400 if malformed.
    init(query: QueryParameters) throws {
        guard let text = query.string("utcOffset") else { self.init(); return }
        guard let offset = Self.parseOffset(text), let zone = TimeZone(secondsFromGMT: offset) else {
            throw APIError.badRequest("query parameter `utcOffset` must be ±HH:MM between -12:00 and +14:00, e.g. %2B08:00",
                                      code: "invalidParameter")
        }
        self.init(timeZone: zone)
    }

    /// Seconds east of UTC for `±HH:MM`; nil if malformed or beyond −12:00…+14:00.
    static func parseOffset(_ text: String) -> Int? {
        let scalars = Array(text.unicodeScalars)
        guard scalars.count == 6, scalars[3] == ":", scalars[0] == "+" || scalars[0] == "-",
              let hours = Int(String(String.UnicodeScalarView(scalars[1...2]))),
              let minutes = Int(String(String.UnicodeScalarView(scalars[4...5]))), minutes < 60 else { return nil }
        let seconds = (hours * 3600 + minutes * 60) * (scalars[0] == "-" ? -1 : 1)
        return (-12 * 3600...14 * 3600).contains(seconds) ? seconds : nil
    }

    /// RFC 3339 (`2026-11-24T16:00:00.000+08:00`; `Z` for UTC).
    func time(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZoneSeparator: .colon, includingFractionalSeconds: true, timeZone: timeZone))
    }

    /// One entry's fields in `entryHeader` order; absent values are empty.
    func entryFields(_ entry: StoredEntry) -> [String] {
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

    func alerts(_ alerts: [StoredAlert]) -> CSVDocument {
        CSVDocument(header: Self.alertHeader, rows: alerts.map { a in
            [String(a.id), a.kind.rawValue, time(a.raisedAt), time(a.occurredAt), a.gate, a.decision?.rawValue ?? "",
             a.reason?.rawValue ?? "", a.credentialPayload ?? "", a.celsius.map { "\($0)" } ?? "", a.detail,
             a.journalEpoch?.uuidString.lowercased() ?? "", a.seq.map { String($0) } ?? "", a.entryID?.uuidString.lowercased() ?? ""]
        })
    }

    /// The visitors' register: one row per registration.
    func registrations(_ rows: [StoredRegistration]) -> CSVDocument {
        CSVDocument(header: ["occurred_at", "gate", "lane", "name", "citizen_number", "address", "host", "journal_epoch", "seq"],
                    rows: rows.map { r in
                        [time(r.occurredAt), r.gate, r.lane, r.name, r.citizenNumber, r.address, r.host ?? "",
                         r.journalEpoch.uuidString.lowercased(), String(r.seq)]
                    })
    }

    /// One row per hour that has entries: the hour's start, a column per decision, and the total.
    func hourly(_ rows: [HourlyRow]) -> CSVDocument {
        CSVDocument(header: ["hour_start"] + Decision.allCases.map(\.rawValue) + ["total"], rows: rows.map { row in
            [time(row.hourStart)] + Decision.allCases.map { String(row.counts[$0.rawValue] ?? 0) } + [String(row.total)]
        })
    }

    /// Entries known in full (passages), at once.
    func entries(_ entries: [StoredEntry], filename: String) -> Response {
        Self.response(CSVDocument(header: Self.entryHeader, rows: entries.map(entryFields)), filename: filename)
    }

    /// Entries streamed. The first page is fetched before answering (so that an unknown place is still
    /// a 404); later pages are fetched while writing. A failure after the first page ends the response
    /// early (the client sees a truncated transfer, the log says why).
    func entries(first: [StoredEntry], next: LedgerCursor?, filename: String, context: CentralRequestContext,
                 fetch: @escaping @Sendable (LedgerCursor) async throws -> LedgerPage) -> Response {
        let logger = context.logger
        let export = self
        let body = ResponseBody { writer in
            var buffer = ByteBuffer(bytes: CSVDocument.byteOrderMark)
            buffer.writeString(CSVDocument.line(Self.entryHeader))
            var entries = first
            var cursor = next
            while true {
                for entry in entries { buffer.writeString(CSVDocument.line(export.entryFields(entry))) }
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
        return Response(status: .ok, headers: Self.headers(filename: filename), body: body)
    }

    static func headers(filename: String) -> HTTPFields {
        [.contentType: CSVDocument.contentType, .contentDisposition: "attachment; filename=\"\(filename)\""]
    }

    static func response(_ document: CSVDocument, filename: String) -> Response {
        let data = document.encoded()
        var headers = headers(filename: filename)
        headers[.contentLength] = String(data.count)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
