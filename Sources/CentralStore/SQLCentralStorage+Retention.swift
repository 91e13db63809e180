import CheckpointCore
import Foundation

extension SQLCentralStorage {
    public func purge(_ policy: RetentionPolicy, now: Date) async throws -> PurgeReport {
        func cutoff(_ days: Int?) -> SQLValue? { days.map { .millis(now.addingTimeInterval(-Double($0) * 86_400)) } }
        let cutoffs = (entries: cutoff(policy.entryDays), alerts: cutoff(policy.alertDays),
                       quarantine: cutoff(policy.quarantineDays), audit: cutoff(policy.auditDays))
        let report = try await write { session in
            func delete(_ table: String, _ column: String, _ limit: SQLValue?) async throws -> Int64 {
                guard let limit else { return 0 }
                return Int64(try await session.query("DELETE FROM \(table) WHERE \(column) < ? RETURNING 1", [limit]).count)
            }
            // Registrations belong to their entries (foreign key): they go first, with the same cutoff.
            _ = try await delete("registrations", "occurred_at_ms", cutoffs.entries)
            return PurgeReport(entries: try await delete("entries", "occurred_at_ms", cutoffs.entries),
                               alerts: try await delete("alerts", "raised_at_ms", cutoffs.alerts),
                               quarantine: try await delete("quarantine", "received_at_ms", cutoffs.quarantine),
                               audit: try await delete("audit_log", "at_ms", cutoffs.audit),
                               other: try await delete("sessions", "expires_at_ms", .millis(now))
                                   + (try await delete("webhook_deliveries", "created_at_ms", cutoffs.alerts)))
        }
        if report.total > 0 {
            logger.notice("retention purge", metadata: ["entries": "\(report.entries)", "alerts": "\(report.alerts)",
                                                        "quarantine": "\(report.quarantine)", "audit": "\(report.audit)"])
        }
        return report
    }

    public func eraseCredential(_ payload: String, at: Date) async throws -> PurgeReport {
        guard !payload.isEmpty, payload.utf8.count <= FieldLimits.maxCredentialPayloadBytes else {
            throw CentralStoreError.invalidInput("payload must be 1…\(FieldLimits.maxCredentialPayloadBytes) bytes")
        }
        let digest = Secrets.sha256(text: payload)
        let report = try await write { session in
            try await session.execute("""
                DELETE FROM registrations WHERE (gate, journal_epoch, seq) IN
                    (SELECT gate, journal_epoch, seq FROM entries WHERE credential_sha256 = ? AND credential_payload = ?)
                """, [.text(digest), .text(payload)])
            let entries = try await session.query(
                "DELETE FROM entries WHERE credential_sha256 = ? AND credential_payload = ? RETURNING 1", [.text(digest), .text(payload)])
            let alerts = try await session.query("DELETE FROM alerts WHERE credential_payload = ? RETURNING 1", [.text(payload)])
            // Quarantined records are kept as received (JSON): confirm each candidate by decoding it.
            var quarantined: Int64 = 0
            let candidates = try await session.query("SELECT gate, journal_epoch, seq, record_json FROM quarantine")
            for row in candidates {
                guard let record = try? CheckpointJSON.decoder().decode(QuarantineProbe.self, from: Data(try row.text(3).utf8)),
                      record.credential?.payload == payload else { continue }
                try await session.execute("DELETE FROM quarantine WHERE gate = ? AND journal_epoch = ? AND seq = ?",
                                          [.text(try row.text(0)), .uuid(try row.uuid(1)), .int(try row.int(2))])
                quarantined += 1
            }
            let watched = try await session.query("SELECT 1 FROM watch_list WHERE credential_sha256 = ?", [.text(digest)])
            return (PurgeReport(entries: Int64(entries.count), alerts: Int64(alerts.count), quarantine: quarantined,
                                other: Int64(watched.count)))
        }
        if report.other > 0 { _ = try await removeFromWatchList([payload], at: at) }
        logger.notice("credential erased", metadata: ["entries": "\(report.entries)", "alerts": "\(report.alerts)",
                                                      "quarantine": "\(report.quarantine)"])
        return report
    }
}

/// The part of a quarantined record an erasure looks at (the rest may be malformed).
private struct QuarantineProbe: Decodable {
    struct Probe: Decodable { var payload: String? }
    var credential: Probe?
}
