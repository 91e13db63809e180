import Foundation

/// The five colours of the home-isolation classification (red, orange, yellow, blue, green).
public enum WatchColour: String, Codable, Sendable, CaseIterable, Hashable {
    case red, orange, yellow, blue, green
}

/// One credential on the watch list that the central store pushes to gates, enforced offline.
public struct WatchListEntry: Codable, Sendable, Hashable {
    /// The credential payload exactly as scanned, or — in a keyed list — its district digest
    /// (`hmac-sha256:` + 64 hex, docs/contracts.md §13).
    public var credential: String
    public var colour: WatchColour
    /// True if the person is under home isolation: leaving (`direction == .out`) is refused and alerted.
    public var isolation: Bool
    /// Why the entry is listed; empty in a keyed list (free text stays at the store).
    public var reason: String
    /// After this instant the entry no longer applies; nil = until removed.
    public var validUntil: Date?
    /// The list version at which this entry was last changed.
    public var version: Int64

    public init(credential: String, colour: WatchColour, isolation: Bool, reason: String, validUntil: Date?, version: Int64) {
        self.credential = credential
        self.colour = colour
        self.isolation = isolation
        self.reason = reason
        self.validUntil = validUntil
        self.version = version
    }
}

/// The reply to `GET /v1/watchlist?since=V`: every change after version V.
public struct WatchListDelta: Codable, Sendable, Hashable {
    /// The version the gate has after applying this delta.
    public var version: Int64
    /// Entries added or changed after `since`.
    public var upserts: [WatchListEntry]
    /// Credentials removed after `since`.
    public var removals: [String]
    /// True if `since` was too old to answer incrementally: drop the local list and take `upserts` as all.
    public var full: Bool
    /// True if every credential (upserts and removals) is a district digest, not a payload: a gate
    /// matches a scan by its digest, made with the district key (absent in JSON = false).
    public var keyed: Bool

    public init(version: Int64, upserts: [WatchListEntry], removals: [String], full: Bool, keyed: Bool = false) {
        self.version = version
        self.upserts = upserts
        self.removals = removals
        self.full = full
        self.keyed = keyed
    }

    enum CodingKeys: String, CodingKey { case version, upserts, removals, full, keyed }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        version = try c.decode(Int64.self, forKey: .version)
        upserts = try c.decode([WatchListEntry].self, forKey: .upserts)
        removals = try c.decode([String].self, forKey: .removals)
        full = try c.decode(Bool.self, forKey: .full)
        keyed = try c.decodeIfPresent(Bool.self, forKey: .keyed) ?? false
    }
}
