import Foundation

/// One key of a refused batch: (gate, `journalEpoch`, `seq`) already held `storedID` (or an earlier
/// record of the same batch did) and the batch presented `presentedID`.
public struct SequenceConflict: Codable, Sendable, Hashable {
    public var gate: String
    public var journalEpoch: UUID
    public var seq: Int64
    public var storedID: UUID?
    public var presentedID: UUID

    public init(gate: String, journalEpoch: UUID, seq: Int64, storedID: UUID?, presentedID: UUID) {
        self.gate = gate
        self.journalEpoch = journalEpoch
        self.seq = seq
        self.storedID = storedID
        self.presentedID = presentedID
    }
}

/// Every error the store throws on purpose. Suggested HTTP mapping in brackets.
public enum CentralStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Same key, different id: the whole batch was refused, nothing stored; a `.conflict` alert per
    /// key was persisted. [409]
    case conflict([SequenceConflict])
    /// A record (or heartbeat) names another gate than the authenticated one; nothing stored. [403]
    case gateMismatch(authenticated: String, presented: String)
    /// No gate with this id, or it has no secret. [401 / 404 on admin endpoints]
    case unknownGate(String)
    /// The gate was revoked. [401]
    case gateRevoked(String)
    /// More records than `FieldLimits.maxRecordsPerBatch`. [413]
    case batchTooLarge(count: Int, limit: Int)
    /// A place, name or watch-list entry that breaks a rule (message says which). [400]
    case invalidInput(String)
    /// A place referred to that does not exist. [404]
    case unknownPlace(PlaceLevel, String)
    /// An account name, alert id or admin token label that does not exist. [404]
    case notFound(String)
    /// A gate that already holds a secret was registered again: rotate its secret explicitly. [409]
    case gateExists(String)
    /// A `--db` string the factory does not understand. [startup]
    case invalidLocation(String)
    /// The database does not provide the promised durability (e.g. SQLite not in WAL /
    /// synchronous ≠ FULL after opening). [startup]
    case durability(String)
    /// The database schema is newer than this program, or a migration failed. [startup]
    case migration(String)
    /// The engine failed (connection lost, disk full…); the operation did not happen. [503]
    case engine(String)
    /// The write waited `waitedMs` ms for its turn and was refused unstarted: the store is
    /// overloaded (see `WriteAdmission`). Nothing was stored; send again later. [503, Retry-After]
    case busy(waitedMs: Int)

    public var description: String {
        switch self {
        case .conflict(let keys):
            let first = keys.first.map { " (first: gate \($0.gate) epoch \($0.journalEpoch) seq \($0.seq))" } ?? ""
            return "sequence conflict: \(keys.count) key(s) already hold a different record id\(first)"
        case .gateMismatch(let authenticated, let presented):
            return "gate \(authenticated) cannot write records of gate \(presented)"
        case .unknownGate(let gate): return "unknown gate \(gate)"
        case .gateRevoked(let gate): return "gate \(gate) is revoked"
        case .batchTooLarge(let count, let limit): return "batch of \(count) records exceeds the limit of \(limit)"
        case .invalidInput(let message): return "invalid input: \(message)"
        case .unknownPlace(let level, let id): return "unknown \(level.rawValue) \(id)"
        case .notFound(let what): return "not found: \(what)"
        case .gateExists(let gate): return "gate \(gate) is already registered (rotate its secret explicitly)"
        case .invalidLocation(let message): return "invalid database location: \(message)"
        case .durability(let message): return "durability check failed: \(message)"
        case .migration(let message): return "migration failed: \(message)"
        case .engine(let message): return "database error: \(message)"
        case .busy(let waitedMs): return "store busy: no write turn within \(waitedMs) ms"
        }
    }
}
