import CheckpointCore
import Foundation

extension SQLCentralStorage {
    static let maxWebhookURLBytes = 2_048
    static let maxWebhookErrorBytes = 200
    /// Alerts raised this long before an enqueue are looked at again if they have no delivery yet: on
    /// PostgreSQL an alert id can become visible after a higher one (its transaction committed later).
    static let webhookLateCommitWindow: TimeInterval = 120

    public func enqueueWebhookDeliveries(url: String, kinds: Set<AlertKind>?, at: Date) async throws -> Int {
        guard !url.isEmpty, url.utf8.count <= Self.maxWebhookURLBytes else {
            throw CentralStoreError.invalidInput("webhook URL must be 1…\(Self.maxWebhookURLBytes) bytes")
        }
        return try await write { session in
            guard let cursor = try await session.query("SELECT last_alert_id, since_ms FROM webhook_cursors WHERE url = ?",
                                                       [.text(url)]).first else {
                let newest = try await session.query("SELECT COALESCE(MAX(id), 0) FROM alerts").first?.int(0) ?? 0
                try await session.execute("""
                    INSERT INTO webhook_cursors (url, last_alert_id, since_ms) VALUES (?, ?, ?) ON CONFLICT (url) DO NOTHING
                    """, [.text(url), .int(newest), .millis(at)])
                return 0
            }
            let last = try cursor.int(0), since = try cursor.int(1)
            let lateFrom = SQLTime.millis(at.addingTimeInterval(-Self.webhookLateCommitWindow))
            let candidates = try await session.query("""
                SELECT a.id, a.kind FROM alerts a
                WHERE (a.id > ? OR (a.raised_at_ms > ? AND a.raised_at_ms >= ?))
                  AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.url = ? AND d.alert_id = a.id)
                ORDER BY a.id LIMIT 1000
                """, [.int(last), .int(since), .int(lateFrom), .text(url)])
            var rows: [[SQLValue]] = []
            var highest = last
            for row in candidates {
                let id = try row.int(0)
                let kind = try row.rawEnum(1, as: AlertKind.self)
                highest = max(highest, id)
                guard kinds?.contains(kind) ?? true else { continue }
                rows.append([.text(url), .int(id), .text(kind.rawValue), .text(WebhookDelivery.Status.pending.rawValue),
                             .int(0), .millis(at), .millis(at)])
            }
            try await self.insertRows(session, table: "webhook_deliveries",
                                      columns: ["url", "alert_id", "alert_kind", "status", "attempts", "created_at_ms", "next_attempt_at_ms"],
                                      rows: rows, suffix: "ON CONFLICT (url, alert_id) DO NOTHING")
            if highest > last {
                try await session.execute("UPDATE webhook_cursors SET last_alert_id = ? WHERE url = ?", [.int(highest), .text(url)])
            }
            return rows.count
        }
    }

    public func dueWebhookDeliveries(url: String, now: Date, limit: Int) async throws -> [DueWebhookDelivery] {
        let limit = Self.clamp(limit, 1_000)
        return try await read { session in
            try await session.query("""
                SELECT \(Self.webhookColumns), \(Self.alertSelectList) FROM webhook_deliveries d
                LEFT JOIN alerts a ON a.id = d.alert_id
                WHERE d.url = ? AND d.status = ? AND d.next_attempt_at_ms <= ?
                ORDER BY d.id LIMIT ?
                """, [.text(url), .text(WebhookDelivery.Status.pending.rawValue), .millis(now), .int(Int64(limit))]).map { row in
                let delivery = try Self.webhookDelivery(row)
                let alertColumns = SQLRow(values: Array(row.values.dropFirst(Self.webhookColumnCount)))
                return DueWebhookDelivery(delivery: delivery, alert: alertColumns.isNull(0) ? nil : try Self.alert(alertColumns))
            }
        }
    }

    public func nextWebhookAttempt(url: String) async throws -> Date? {
        try await read { session in
            try await session.query("SELECT MIN(next_attempt_at_ms) FROM webhook_deliveries WHERE url = ? AND status = ?",
                                    [.text(url), .text(WebhookDelivery.Status.pending.rawValue)]).first?.optionalDate(0)
        }
    }

    public func recordWebhookAttempt(_ id: Int64, _ attempt: WebhookAttempt, at: Date) async throws {
        let status: WebhookDelivery.Status, code: Int?, error: String?, next: Date?
        switch attempt {
        case .delivered(let statusCode):
            (status, code, error, next) = (.delivered, statusCode, nil, nil)
        case .failed(let statusCode, let message, let retryAt):
            (status, code, error, next) = (retryAt == nil ? .failed : .pending, statusCode,
                                           String(decoding: Array(message.utf8.prefix(Self.maxWebhookErrorBytes)), as: UTF8.self), retryAt)
        }
        try await write { session in
            guard let row = try await session.query("SELECT status FROM webhook_deliveries WHERE id = ?", [.int(id)]).first else {
                throw CentralStoreError.notFound("webhook delivery \(id)")
            }
            guard try row.text(0) == WebhookDelivery.Status.pending.rawValue else { return }
            try await session.execute("""
                UPDATE webhook_deliveries SET status = ?, attempts = attempts + 1, last_attempt_at_ms = ?, next_attempt_at_ms = ?,
                    delivered_at_ms = ?, last_status_code = ?, last_error = ? WHERE id = ?
                """, [.text(status.rawValue), .millis(at), .millis(next), .millis(status == .delivered ? at : nil),
                      .optional(code.map(Int64.init)), .optional(error), .int(id)])
        }
    }

    public func webhookDeliveries(before: Int64?, status: WebhookDelivery.Status?, limit: Int) async throws -> [WebhookDelivery] {
        var sql = "SELECT \(Self.webhookColumns) FROM webhook_deliveries d WHERE d.id < ?"
        var arguments: [SQLValue] = [.int(before ?? Int64.max)]
        if let status {
            sql += " AND d.status = ?"
            arguments.append(.text(status.rawValue))
        }
        sql += " ORDER BY d.id DESC LIMIT ?"
        arguments.append(.int(Int64(Self.clamp(limit, 1_000))))
        let query = (sql: sql, arguments: arguments)
        return try await read { session in try await session.query(query.sql, query.arguments).map(Self.webhookDelivery) }
    }

    static let webhookColumns = """
        d.id, d.url, d.alert_id, d.alert_kind, d.status, d.attempts, d.created_at_ms, d.last_attempt_at_ms, d.next_attempt_at_ms,
        d.delivered_at_ms, d.last_status_code, d.last_error
        """
    static let webhookColumnCount = 12

    static func webhookDelivery(_ row: SQLRow) throws -> WebhookDelivery {
        WebhookDelivery(id: try row.int(0), url: try row.text(1), alertID: try row.int(2), alertKind: try row.rawEnum(3, as: AlertKind.self),
                        status: try row.rawEnum(4, as: WebhookDelivery.Status.self), attempts: Int(try row.int(5)),
                        createdAt: try row.date(6), lastAttemptAt: try row.optionalDate(7), nextAttemptAt: try row.optionalDate(8),
                        deliveredAt: try row.optionalDate(9), lastStatusCode: try row.optionalInt(10).map(Int.init),
                        lastError: try row.optionalText(11))
    }
}
