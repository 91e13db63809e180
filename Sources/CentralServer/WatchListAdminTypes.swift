import Foundation
import CentralStore
import CheckpointCore

/// Body of `POST /v1/watchlist/entries`: entries to add or replace, credentials to remove.
public struct WatchListUpdate: Codable, Sendable, Hashable {
    public var upserts: [WatchListChange]
    public var removals: [String]

    public init(upserts: [WatchListChange] = [], removals: [String] = []) {
        self.upserts = upserts
        self.removals = removals
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        upserts = try c.decodeIfPresent([WatchListChange].self, forKey: .upserts) ?? []
        removals = try c.decodeIfPresent([String].self, forKey: .removals) ?? []
    }
}

/// Reply to `GET /v1/watchlist/entries` (every current entry) and `POST` (the new version).
public struct WatchListEntries: Codable, Sendable, Hashable {
    public var version: Int64
    public var entries: [WatchListEntry]

    public init(version: Int64, entries: [WatchListEntry]) {
        self.version = version
        self.entries = entries
    }
}
