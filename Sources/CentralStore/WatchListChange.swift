import CheckpointCore
import Foundation

/// One entry to add to or change on the watch list; the store assigns its version.
public struct WatchListChange: Codable, Sendable, Hashable {
    /// The credential payload exactly as scanned (1…`FieldLimits.maxCredentialPayloadBytes` bytes).
    public var credential: String
    public var colour: WatchColour
    public var isolation: Bool
    /// At most 500 UTF-8 bytes.
    public var reason: String
    public var validUntil: Date?

    public init(credential: String, colour: WatchColour, isolation: Bool, reason: String, validUntil: Date? = nil) {
        self.credential = credential
        self.colour = colour
        self.isolation = isolation
        self.reason = reason
        self.validUntil = validUntil
    }
}
