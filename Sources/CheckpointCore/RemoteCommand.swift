import Foundation

/// A command from the central store to one gate (docs/central-api.md "Remote open"): open `lane`
/// once, asked by the staff account `requestedBy`, valid until `expiresAt` (server time).
///
/// Contract: the gate executes a command at most once (by `id`, across restarts: the journal keeps
/// the ids it claimed) and never once `expiresAt` has passed by the store's clock (`serverTime` of
/// the reply that carried it, plus the time since on the gate's monotonic clock).
public struct RemoteCommand: Codable, Sendable, Hashable {
    public enum Kind: String, Codable, Sendable, CaseIterable { case open }

    public var id: UUID
    public var kind: Kind
    public var lane: String
    public var requestedBy: String
    public var createdAt: Date
    public var expiresAt: Date

    public init(id: UUID, kind: Kind = .open, lane: String, requestedBy: String, createdAt: Date, expiresAt: Date) {
        self.id = id
        self.kind = kind
        self.lane = lane
        self.requestedBy = requestedBy
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}
