import Foundation
import Logging

/// Opens the store a `--db` string names, applying migrations (and, for SQLite, checking durability).
public enum CentralStorageFactory {
    /// `sqlite:PATH` or `postgres://USER@HOST:PORT/DB[?schema=NAME]` (see `StoreLocation`).
    public static func open(_ location: String, logger: Logger) async throws -> any CentralStorage {
        try await open(StoreLocation(parsing: location), logger: logger)
    }

    public static func open(_ location: StoreLocation, logger: Logger) async throws -> any CentralStorage {
        throw CentralStoreError.engine("not built yet: \(location)")
    }
}
