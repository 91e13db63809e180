import Foundation

extension SQLCentralStorage {
    public func registrations(range: TimeRange?, limit: Int) async throws -> [StoredRegistration] {
        let limit = Self.clamp(limit, 5_000)
        return try await read { session in
            var sql = "SELECT gate, journal_epoch, seq, occurred_at_ms, lane, name, citizen_number, address, host FROM registrations"
            var arguments: [SQLValue] = []
            if let range {
                sql += " WHERE occurred_at_ms >= ? AND occurred_at_ms < ?"
                arguments += [.millis(range.from), .millis(range.to)]
            }
            sql += " ORDER BY occurred_at_ms, gate, seq LIMIT ?"
            arguments.append(.int(Int64(limit)))
            return try await session.query(sql, arguments).map { row in
                StoredRegistration(gate: try row.text(0), journalEpoch: try row.uuid(1), seq: try row.int(2), occurredAt: try row.date(3),
                                   lane: try row.text(4), name: try row.text(5), citizenNumber: try row.text(6),
                                   address: try row.text(7), host: try row.optionalText(8))
            }
        }
    }
}
