import CheckpointCore
import Foundation
import GRDB

/// The gate profile last applied (docs/fleet.md), kept in the journal's file so that it holds
/// offline and across restarts. One row; replaced only by a profile that was validated and applied.
extension Journal {
    /// Stores `profile` as the applied one (in one transaction).
    public func storeAppliedProfile(_ profile: GateProfile) throws {
        do {
            try db.write { db in
                try Self.createProfileTable(db)
                try db.execute(sql: "DELETE FROM profile")
                try db.execute(sql: "INSERT INTO profile (singleton, version, toml, clips) VALUES (1, ?, ?, ?)",
                               arguments: [profile.version, profile.toml, profile.clips.joined(separator: ",")])
            }
        } catch {
            throw Self.map(error, path: path)
        }
    }

    /// The applied profile, nil if none was ever applied.
    public func appliedProfile() throws -> GateProfile? {
        do {
            return try db.read { db in try Self.appliedProfile(db) }
        } catch {
            throw Self.map(error, path: path)
        }
    }

    /// The applied profile stored in the journal file at `path` without opening it as a journal (the
    /// daemon reads it before its configuration is built); nil when the file or the profile is absent.
    public static func appliedProfile(path: String) throws -> GateProfile? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        var config = Configuration()
        config.readonly = true
        do {
            return try DatabaseQueue(path: path, configuration: config).read { db in try appliedProfile(db) }
        } catch {
            throw map(error, path: path)
        }
    }

    private static func appliedProfile(_ db: Database) throws -> GateProfile? {
        guard try db.tableExists("profile") else { return nil }
        guard let row = try Row.fetchOne(db, sql: "SELECT version, toml, clips FROM profile WHERE singleton = 1") else { return nil }
        let clips: String = row[2]
        return GateProfile(version: row[0], toml: row[1], clips: clips.split(separator: ",").map(String.init))
    }

    private static func createProfileTable(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE IF NOT EXISTS profile (singleton INTEGER PRIMARY KEY CHECK (singleton = 1), version INTEGER NOT NULL,
                toml TEXT NOT NULL, clips TEXT NOT NULL)
            """)
    }
}
