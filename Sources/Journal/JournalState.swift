import Foundation

/// A snapshot of the journal for heartbeats, `checkpointctl journal` and the uplink.
public struct JournalState: Sendable, Hashable, Codable {
    public var path: String
    public var gate: String
    public var journalEpoch: UUID
    /// Highest seq ever journaled in this epoch (0 before the first entry).
    public var lastSeq: Int64
    /// 1…ackedThrough are at the central store.
    public var ackedThrough: Int64
    /// Entries still held in the file (acknowledged ones stay until the retention period passes).
    public var rows: Int64
    /// Wall-clock time of the oldest entry not yet acknowledged.
    public var oldestUnacknowledged: Date?
    public var watchListVersion: Int64

    /// Journaled but not yet acknowledged.
    public var backlog: Int64 { lastSeq - ackedThrough }
}
