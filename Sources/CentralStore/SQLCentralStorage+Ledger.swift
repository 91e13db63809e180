import CheckpointCore
import Foundation

extension SQLCentralStorage {
    public func entries(_ query: LedgerQuery) async throws -> LedgerPage {
        let limit = Self.clamp(query.limit, 5_000)
        return try await read { session in
            try await PlaceSQL.requireExists(query.scope, in: session)
            var sql = "SELECT \(EntryRow.selectList) \(EntryRow.fromJoined) WHERE e.occurred_at_ms >= ? AND e.occurred_at_ms < ?"
            var arguments: [SQLValue] = [.millis(query.range.from), .millis(query.range.to)]
            let place = PlaceSQL.filter(query.scope)
            sql += place.sql
            arguments += place.arguments
            if let decisions = query.decisions {
                guard !decisions.isEmpty else { return LedgerPage(entries: [], next: nil) }
                sql += " AND e.decision IN (\(Self.placeholders(decisions.count)))"
                arguments += decisions.map(\.rawValue).sorted().map { .text($0) }
            }
            if let after = query.after {
                sql += " AND (e.occurred_at_ms > ? OR (e.occurred_at_ms = ? AND e.id > ?))"
                arguments += [.int(after.occurredAtMillis), .int(after.occurredAtMillis), .uuid(after.id)]
            }
            sql += " ORDER BY e.occurred_at_ms, e.id LIMIT ?"
            arguments.append(.int(Int64(limit + 1)))
            var entries = try await session.query(sql, arguments).map(EntryRow.decode)
            var next: LedgerCursor?
            if entries.count > limit {
                entries.removeLast(entries.count - limit)
                if let last = entries.last {
                    next = LedgerCursor(occurredAtMillis: SQLTime.millis(last.record.occurredAt), id: last.record.id)
                }
            }
            return LedgerPage(entries: entries, next: next)
        }
    }

    public func hourlyCounts(scope: PlaceScope?, range: TimeRange) async throws -> [HourlyCount] {
        try await read { session in
            try await PlaceSQL.requireExists(scope, in: session)
            let place = PlaceSQL.gateFilter(scope, gateColumn: "e.gate")
            let rows = try await session.query("""
                SELECT (e.occurred_at_ms / 3600000) * 3600000, e.decision, COUNT(*) FROM entries e
                WHERE e.occurred_at_ms >= ? AND e.occurred_at_ms < ?\(place.sql)
                GROUP BY (e.occurred_at_ms / 3600000) * 3600000, e.decision
                """, [.millis(range.from), .millis(range.to)] + place.arguments)
            return try rows.map { row in
                HourlyCount(hourStart: try row.date(0), decision: try row.rawEnum(1, as: Decision.self), count: try row.int(2))
            }.sorted { ($0.hourStart, $0.decision.rawValue) < ($1.hourStart, $1.decision.rawValue) }
        }
    }

    public func passages(credentialPayload: String, range: TimeRange?, scope: PlaceScope?, limit: Int) async throws -> [StoredEntry] {
        let limit = Self.clamp(limit, 5_000)
        return try await read { session in
            var sql = "SELECT \(EntryRow.selectList) \(EntryRow.fromJoined) WHERE e.credential_sha256 = ? AND e.credential_payload = ?"
            var arguments: [SQLValue] = [.text(Secrets.sha256(text: credentialPayload)), .text(credentialPayload)]
            let place = PlaceSQL.filter(scope)
            sql += place.sql
            arguments += place.arguments
            if let range {
                sql += " AND e.occurred_at_ms >= ? AND e.occurred_at_ms < ?"
                arguments += [.millis(range.from), .millis(range.to)]
            }
            sql += " ORDER BY e.occurred_at_ms, e.id LIMIT ?"
            arguments.append(.int(Int64(limit)))
            return try await session.query(sql, arguments).map(EntryRow.decode)
        }
    }

    public func alerts(_ query: AlertQuery) async throws -> AlertPage {
        let limit = Self.clamp(query.limit, 1_000)
        return try await read { session in
            try await PlaceSQL.requireExists(query.scope, in: session)
            var sql = "SELECT \(Self.alertSelectList) FROM alerts a"
            var arguments: [SQLValue] = []
            if query.scope != nil { sql += " JOIN gates g ON g.id = a.gate \(PlaceSQL.joinFromGates)" }
            sql += " WHERE a.id > ?"
            arguments.append(.int(query.after))
            if let range = query.range {
                sql += " AND a.occurred_at_ms >= ? AND a.occurred_at_ms < ?"
                arguments += [.millis(range.from), .millis(range.to)]
            }
            if let kinds = query.kinds {
                guard !kinds.isEmpty else { return AlertPage(alerts: [], nextAfter: nil) }
                sql += " AND a.kind IN (\(Self.placeholders(kinds.count)))"
                arguments += kinds.map(\.rawValue).sorted().map { .text($0) }
            }
            if let decisions = query.decisions {
                guard !decisions.isEmpty else { return AlertPage(alerts: [], nextAfter: nil) }
                sql += " AND a.decision IN (\(Self.placeholders(decisions.count)))"
                arguments += decisions.map(\.rawValue).sorted().map { .text($0) }
            }
            let place = PlaceSQL.filter(query.scope)
            sql += place.sql + " ORDER BY a.id LIMIT ?"
            arguments += place.arguments + [.int(Int64(limit + 1))]
            var alerts = try await session.query(sql, arguments).map(Self.alert)
            var nextAfter: Int64?
            if alerts.count > limit {
                alerts.removeLast(alerts.count - limit)
                nextAfter = alerts.last?.id
            }
            return AlertPage(alerts: alerts, nextAfter: nextAfter)
        }
    }

    public func acknowledgeAlert(_ id: Int64, by actor: String, at: Date) async throws -> StoredAlert {
        try await write { session in
            try await session.execute("""
                UPDATE alerts SET acknowledged_by = ?, acknowledged_at_ms = ? WHERE id = ? AND acknowledged_at_ms IS NULL
                """, [.text(actor), .millis(at), .int(id)])
            guard let row = try await session.query("SELECT \(Self.alertSelectList) FROM alerts a WHERE a.id = ?", [.int(id)]).first else {
                throw CentralStoreError.notFound("alert \(id)")
            }
            return try Self.alert(row)
        }
    }

    static let alertSelectList = """
        a.id, a.kind, a.raised_at_ms, a.gate, a.journal_epoch, a.seq, a.occurred_at_ms, a.entry_id, a.decision, a.reason,
        a.credential_payload, a.temperature_celsius, a.detail, a.acknowledged_by, a.acknowledged_at_ms
        """

    /// One row of `alertSelectList`. A gate-health alert's record columns hold placeholders (the nil
    /// UUID, 0, '') and read back as nil.
    static func alert(_ row: SQLRow) throws -> StoredAlert {
        let kind = try row.rawEnum(1, as: AlertKind.self)
        let record = !kind.isGateHealth
        return StoredAlert(id: try row.int(0), kind: kind, raisedAt: try row.date(2),
                           gate: try row.text(3), journalEpoch: record ? try row.uuid(4) : nil, seq: record ? try row.int(5) : nil,
                           occurredAt: try row.date(6), entryID: record ? try row.uuid(7) : nil,
                           decision: record ? try row.rawEnum(8, as: Decision.self) : nil,
                           reason: record ? try row.rawEnum(9, as: ReasonCode.self) : nil, credentialPayload: try row.optionalText(10),
                           celsius: try row.optionalDouble(11), detail: try row.text(12),
                           acknowledgedBy: try row.optionalText(13), acknowledgedAt: try row.optionalDate(14))
    }
}
