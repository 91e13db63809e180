/// How ledgers, alerts and health restrict themselves to one place. Queries using it join
/// `gates g JOIN checkpoints c ON c.id = g.checkpoint JOIN communities m ON m.id = c.community`.
enum PlaceSQL {
    static let joinFromGates = "JOIN checkpoints c ON c.id = g.checkpoint JOIN communities m ON m.id = c.community"

    /// ` AND <column> = ?` for the scope, or nothing.
    static func filter(_ scope: PlaceScope?) -> (sql: String, arguments: [SQLValue]) {
        guard let scope else { return ("", []) }
        let column: String
        switch scope.level {
        case .street: column = "m.street"
        case .community: column = "c.community"
        case .checkpoint: column = "g.checkpoint"
        case .gate: column = "g.id"
        }
        return (" AND \(column) = ?", [.text(scope.id)])
    }

    /// ` AND <gateColumn> IN (the scope's gates)`, or nothing: for queries on `entries` alone, which
    /// then read the index on (gate, occurred_at_ms, …) once per gate of the place.
    static func gateFilter(_ scope: PlaceScope?, gateColumn: String) -> (sql: String, arguments: [SQLValue]) {
        let place = filter(scope)
        guard !place.arguments.isEmpty else { return ("", []) }
        return (" AND \(gateColumn) IN (SELECT g.id FROM gates g \(joinFromGates) WHERE 1 = 1\(place.sql))", place.arguments)
    }

    static func table(_ level: PlaceLevel) -> String {
        switch level {
        case .street: return "streets"
        case .community: return "communities"
        case .checkpoint: return "checkpoints"
        case .gate: return "gates"
        }
    }

    /// Throws `.unknownPlace` unless the scope's place exists.
    static func requireExists(_ scope: PlaceScope?, in session: any SQLSession) async throws {
        guard let scope else { return }
        let rows = try await session.query("SELECT 1 FROM \(table(scope.level)) WHERE id = ?", [.text(scope.id)])
        if rows.isEmpty { throw CentralStoreError.unknownPlace(scope.level, scope.id) }
    }
}
