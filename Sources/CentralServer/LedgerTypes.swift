import CentralStore
import CheckpointCore
import Foundation

/// One UTC hour of a ledger: entries per decision (raw value → count) and their total.
public struct HourlyRow: Codable, Sendable, Hashable {
    public var hourStart: Date
    public var counts: [String: Int64]
    public var total: Int64

    public init(hourStart: Date, counts: [String: Int64], total: Int64) {
        self.hourStart = hourStart
        self.counts = counts
        self.total = total
    }

    /// Folds the store's (hour, decision) counts into one row per hour, ascending.
    public static func rows(from counts: [HourlyCount]) -> [HourlyRow] {
        var byHour: [Date: [String: Int64]] = [:]
        for count in counts { byHour[count.hourStart, default: [:]][count.decision.rawValue, default: 0] += count.count }
        return byHour.keys.sorted().map { hour in
            let counts = byHour[hour] ?? [:]
            return HourlyRow(hourStart: hour, counts: counts, total: counts.values.reduce(0, +))
        }
    }
}

/// Reply to `GET /v1/ledgers/{level}/{id}`: counts over the whole range and one page of entries.
public struct LedgerResponse: Codable, Sendable, Hashable {
    public var scope: PlaceScope
    public var range: TimeRange
    /// Entries in the range (all pages).
    public var total: Int64
    /// Decision raw value → entries in the range.
    public var byDecision: [String: Int64]
    public var hourly: [HourlyRow]
    /// This page, ascending (occurredAt, id).
    public var entries: [StoredEntry]
    /// Pass as `after=` for the next page; absent on the last page.
    public var next: String?

    public init(scope: PlaceScope, range: TimeRange, hourly: [HourlyRow], entries: [StoredEntry], next: String?) {
        self.scope = scope
        self.range = range
        self.hourly = hourly
        var byDecision: [String: Int64] = [:]
        for row in hourly { for (decision, count) in row.counts { byDecision[decision, default: 0] += count } }
        self.byDecision = byDecision
        self.total = hourly.reduce(0) { $0 + $1.total }
        self.entries = entries
        self.next = next
    }
}

/// Reply to `GET /v1/passages?payload=`: every passage of one credential.
public struct PassagesResponse: Codable, Sendable, Hashable {
    public var payload: String
    public var passages: [StoredEntry]

    public init(payload: String, passages: [StoredEntry]) {
        self.payload = payload
        self.passages = passages
    }
}

/// Reply to `GET /healthz`.
public struct HealthStatus: Codable, Sendable, Hashable {
    public var status: String
    public var engine: String
    public var schemaVersion: Int
    /// The engine's durability settings as read back now (e.g. SQLite `journal_mode`, `synchronous`).
    public var durability: [String: String]

    public init(status: String, engine: String, schemaVersion: Int, durability: [String: String]) {
        self.status = status
        self.engine = engine
        self.schemaVersion = schemaVersion
        self.durability = durability
    }
}
