import Foundation

/// A journaled record the central store refused for good (400 for the record alone, or 413 for it
/// alone): kept in the journal, never resent, counted and reported.
public struct RejectedRecord: Sendable, Hashable, Codable {
    public var seq: Int64
    public var rejectedAt: Date
    /// The store's answer, e.g. "HTTP 400 invalidBody: records[0].temperature…".
    public var reason: String

    public init(seq: Int64, rejectedAt: Date, reason: String) {
        self.seq = seq
        self.rejectedAt = rejectedAt
        self.reason = reason
    }
}
