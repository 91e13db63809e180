import CheckpointCore
import Foundation

/// One stored entry with where it belongs: a row of every ledger.
public struct StoredEntry: Codable, Sendable, Hashable {
    public var record: EntryRecord
    /// Server time when the batch that stored it was ingested.
    public var receivedAt: Date
    public var checkpoint: String
    public var community: String
    public var street: String

    public init(record: EntryRecord, receivedAt: Date, checkpoint: String, community: String, street: String) {
        self.record = record
        self.receivedAt = receivedAt
        self.checkpoint = checkpoint
        self.community = community
        self.street = street
    }
}

/// The position after the last entry of a ledger page: entries are ordered by
/// (`occurredAt`, `id`), and the next page starts strictly after this pair.
/// Spelled as a string (`"<epoch ms>_<uuid>"`) for query strings.
public struct LedgerCursor: Codable, Sendable, Hashable, LosslessStringConvertible {
    /// `occurredAt` in milliseconds since 1970-01-01T00:00:00Z.
    public var occurredAtMillis: Int64
    public var id: UUID

    public init(occurredAtMillis: Int64, id: UUID) {
        self.occurredAtMillis = occurredAtMillis
        self.id = id
    }

    /// Parses `"<epoch ms>_<uuid>"`; nil if malformed.
    public init?(_ description: String) {
        let parts = description.split(separator: "_", maxSplits: 1)
        guard parts.count == 2, let ms = Int64(parts[0]), let id = UUID(uuidString: String(parts[1])) else { return nil }
        self.init(occurredAtMillis: ms, id: id)
    }

    public var description: String { "\(occurredAtMillis)_\(id.uuidString.lowercased())" }
}

/// Which entries a ledger lists. Filters are ANDed.
public struct LedgerQuery: Sendable, Hashable {
    /// nil = every place (the whole store).
    public var scope: PlaceScope?
    /// On `occurredAt`.
    public var range: TimeRange
    /// nil = all decisions.
    public var decisions: Set<Decision>?
    /// Start strictly after this position; nil = from the beginning of `range`.
    public var after: LedgerCursor?
    /// 1…5000; larger values are clamped.
    public var limit: Int

    public init(scope: PlaceScope?, range: TimeRange, decisions: Set<Decision>? = nil,
                after: LedgerCursor? = nil, limit: Int = 500) {
        self.scope = scope
        self.range = range
        self.decisions = decisions
        self.after = after
        self.limit = limit
    }
}

/// A page of a ledger in ascending (`occurredAt`, `id`). `next` is nil when this page was the last.
public struct LedgerPage: Codable, Sendable, Hashable {
    public var entries: [StoredEntry]
    public var next: LedgerCursor?

    public init(entries: [StoredEntry], next: LedgerCursor?) {
        self.entries = entries
        self.next = next
    }
}

/// The number of entries with one decision in one UTC hour (`hourStart` is on a whole hour; every
/// whole-hour time zone, China's +08:00 included, maps its hours one to one onto these).
/// Hours and decisions without entries are absent.
public struct HourlyCount: Codable, Sendable, Hashable {
    public var hourStart: Date
    public var decision: Decision
    public var count: Int64

    public init(hourStart: Date, decision: Decision, count: Int64) {
        self.hourStart = hourStart
        self.decision = decision
        self.count = count
    }
}

/// A record kept in quarantine: accepted for contiguity, never in a ledger.
public struct StoredQuarantine: Codable, Sendable, Hashable {
    public var gate: String
    public var journalEpoch: UUID
    public var seq: Int64
    public var id: UUID?
    public var receivedAt: Date
    public var reasons: [String]
    /// The record as received, `CheckpointJSON`.
    public var recordJSON: String

    public init(gate: String, journalEpoch: UUID, seq: Int64, id: UUID?, receivedAt: Date, reasons: [String], recordJSON: String) {
        self.gate = gate
        self.journalEpoch = journalEpoch
        self.seq = seq
        self.id = id
        self.receivedAt = receivedAt
        self.reasons = reasons
        self.recordJSON = recordJSON
    }
}
