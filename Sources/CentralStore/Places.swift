import Foundation

/// The four levels of the ledgers: street office (街道) → community (社区) → checkpoint (卡点) → gate.
/// Raw values are the wire and query-string spelling.
public enum PlaceLevel: String, Codable, Sendable, CaseIterable, Hashable {
    case street, community, checkpoint, gate
}

/// One place at one level, e.g. `PlaceScope(level: .community, id: "hexi")`: what a ledger,
/// a count or an alert listing is restricted to.
public struct PlaceScope: Codable, Sendable, Hashable {
    public var level: PlaceLevel
    /// An identifier (`FieldLimits.isValidIdentifier`).
    public var id: String

    public init(level: PlaceLevel, id: String) {
        self.level = level
        self.id = id
    }
}

/// A half-open interval of wall-clock time, `from` ≤ t < `to`, UTC.
public struct TimeRange: Codable, Sendable, Hashable {
    public var from: Date
    public var to: Date

    public init(from: Date, to: Date) {
        self.from = from
        self.to = to
    }
}

/// The places as data: the structured list the server loads from a file or an API and passes to
/// `CentralStorage.upsertPlaces`. Every identifier is `FieldLimits.isValidIdentifier`; a name is
/// 1…200 UTF-8 bytes. Identifiers are unique per level (a community id names one community in the
/// whole store, whichever street office it is under).
public struct PlaceDirectory: Codable, Sendable, Hashable {
    public var streets: [StreetOffice]

    public init(streets: [StreetOffice]) { self.streets = streets }
}

/// A street office (街道): the first-level ledger.
public struct StreetOffice: Codable, Sendable, Hashable {
    public var id: String
    public var name: String
    public var communities: [Community]

    public init(id: String, name: String, communities: [Community] = []) {
        self.id = id
        self.name = name
        self.communities = communities
    }
}

/// A community (社区) under a street office: the second-level ledger.
public struct Community: Codable, Sendable, Hashable {
    public var id: String
    public var name: String
    public var checkpoints: [CheckpointPlace]

    public init(id: String, name: String, checkpoints: [CheckpointPlace] = []) {
        self.id = id
        self.name = name
        self.checkpoints = checkpoints
    }
}

/// A checkpoint (卡点) under a community: the third-level ledger. Its gates are the boxes that feed it.
public struct CheckpointPlace: Codable, Sendable, Hashable {
    public var id: String
    public var name: String
    public var gates: [GatePlace]

    public init(id: String, name: String, gates: [GatePlace] = []) {
        self.id = id
        self.name = name
        self.gates = gates
    }
}

/// A gate box of a checkpoint. Listing a gate here places it; it can ingest only once
/// `CentralStorage.registerGate` has issued its secret.
public struct GatePlace: Codable, Sendable, Hashable {
    public var id: String
    /// A human name; nil = the id.
    public var name: String?

    public init(id: String, name: String? = nil) {
        self.id = id
        self.name = name
    }
}
