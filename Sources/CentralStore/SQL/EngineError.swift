import PostgresNIO

/// Messages of engine errors, for `CentralStoreError.engine`.
enum EngineError {
    /// PostgreSQL: the server's message and SQLSTATE (postgres-nio's own description hides them);
    /// anything else (GRDB's `DatabaseError` includes SQLite's message): its description.
    static func describe(_ error: any Error) -> String {
        if let psql = error as? PSQLError {
            if let info = psql.serverInfo {
                return "\(info[.message] ?? "error") (SQLSTATE \(info[.sqlState] ?? "?"))"
            }
            return String(reflecting: psql)
        }
        return "\(error)"
    }
}
