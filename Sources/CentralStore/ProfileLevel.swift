import Foundation

/// One version of one place's profile level (docs/fleet.md): who set it and when.
public struct ProfileLevel: Codable, Sendable, Hashable {
    /// The place: a street, community or checkpoint.
    public var place: PlaceScope
    /// Rises across all places with every change.
    public var version: Int64
    /// The level as TOML (`[policy]`, `[horn]`'s announcements, schedules, …); empty: nothing set.
    public var toml: String
    public var changedBy: String
    public var changedAt: Date

    public init(place: PlaceScope, version: Int64, toml: String, changedBy: String, changedAt: Date) {
        self.place = place
        self.version = version
        self.toml = toml
        self.changedBy = changedBy
        self.changedAt = changedAt
    }
}
