import Foundation

extension SQLCentralStorage {
    public func registrations(range: TimeRange?, scope: PlaceScope?, limit: Int) async throws -> [StoredRegistration] {
        let limit = Self.clamp(limit, 5_000)
        return try await read { session in
            try await PlaceSQL.requireExists(scope, in: session)
            var sql = """
                SELECT r.gate, r.journal_epoch, r.seq, r.occurred_at_ms, r.lane, r.name, r.citizen_number, r.address, r.host
                FROM registrations r
                """
            var arguments: [SQLValue] = []
            if scope != nil { sql += " JOIN gates g ON g.id = r.gate \(PlaceSQL.joinFromGates)" }
            sql += " WHERE 1 = 1"
            if let range {
                sql += " AND r.occurred_at_ms >= ? AND r.occurred_at_ms < ?"
                arguments += [.millis(range.from), .millis(range.to)]
            }
            let place = PlaceSQL.filter(scope)
            sql += place.sql + " ORDER BY r.occurred_at_ms, r.gate, r.seq LIMIT ?"
            arguments += place.arguments + [.int(Int64(limit))]
            return try await session.query(sql, arguments).map { row in
                StoredRegistration(gate: try row.text(0), journalEpoch: try row.uuid(1), seq: try row.int(2), occurredAt: try row.date(3),
                                   lane: try row.text(4), name: try row.text(5), citizenNumber: try row.text(6),
                                   address: try row.text(7), host: try row.optionalText(8))
            }
        }
    }
}
