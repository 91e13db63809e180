import Foundation
import Logging

/// Opens the store a `--db` string names: connects, checks durability settings, applies migrations.
public enum CentralStorageFactory {
    /// `sqlite:PATH` or `postgres://USER@HOST:PORT/DB[?schema=NAME]` (see `StoreLocation`).
    /// `writeWaitLimit`: how long a write waits for its turn before it is refused `.busy`.
    public static func open(_ location: String, logger: Logger,
                            writeWaitLimit: Duration = SQLCentralStorage.standardWriteWaitLimit) async throws -> any CentralStorage {
        try await open(StoreLocation(parsing: location), logger: logger, writeWaitLimit: writeWaitLimit)
    }

    public static func open(_ location: StoreLocation, logger: Logger,
                            writeWaitLimit: Duration = SQLCentralStorage.standardWriteWaitLimit) async throws -> any CentralStorage {
        try await openSQL(location, logger: logger, writeWaitLimit: writeWaitLimit)
    }

    /// The concrete store (for `durabilitySettings()` and tests).
    public static func openSQL(_ location: StoreLocation, logger: Logger,
                               writeWaitLimit: Duration = SQLCentralStorage.standardWriteWaitLimit) async throws -> SQLCentralStorage {
        let database: any SQLDatabase
        switch location {
        case .sqlite(let path): database = try SQLiteDatabase(path: path)
        case .postgres(let postgres): database = try await PostgresDatabase(postgres, logger: logger)
        }
        return try await SQLCentralStorage.open(database, logger: logger, writeWaitLimit: writeWaitLimit)
    }
}
