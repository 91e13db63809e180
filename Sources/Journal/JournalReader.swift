import CheckpointCore
import Foundation
import GRDB

/// Read-only access to a journal file for technicians (`checkpointctl journal` while the daemon is
/// not running). Never creates, migrates or writes the file.
public struct JournalReader: Sendable {
    public let path: String
    private let db: DatabaseQueue

    public init(path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else {
            throw JournalError.io(path: path, detail: "no journal file")
        }
        var config = Configuration()
        config.readonly = true
        do { db = try DatabaseQueue(path: path, configuration: config) } catch { throw Journal.map(error, path: path) }
        self.path = path
    }

    public func state() throws -> JournalState {
        do {
            return try db.read { db in
                let (epoch, gate) = try Journal.readIdentity(db, path: path)
                return try Journal.state(db, path: path, gate: gate, epoch: epoch)
            }
        } catch {
            throw Journal.map(error, path: path)
        }
    }

    /// The last `count` entries held, newest last.
    public func latest(_ count: Int) throws -> [EntryRecord] {
        do {
            return try db.read { db in
                let rows = try Data.fetchAll(db, sql: "SELECT record FROM (SELECT seq, record FROM entry ORDER BY seq DESC LIMIT ?) ORDER BY seq",
                                             arguments: [count])
                let decoder = CheckpointJSON.decoder()
                return try rows.map { try decoder.decode(EntryRecord.self, from: $0) }
            }
        } catch {
            throw Journal.map(error, path: path)
        }
    }

    /// `PRAGMA integrity_check`: ["ok"] for a sound file.
    public func integrityCheck() throws -> [String] {
        do { return try db.read { try String.fetchAll($0, sql: "PRAGMA integrity_check") } } catch { throw Journal.map(error, path: path) }
    }
}
