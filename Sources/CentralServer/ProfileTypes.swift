import CentralStore
import Foundation

/// The body of `PUT /v1/profiles/{level}/{place}`.
struct ProfileLevelUpdate: Codable, Sendable {
    /// The level as TOML (docs/fleet.md); empty: the level sets nothing.
    var toml: String
}

/// The reply to `GET`/`PUT /v1/profiles/{level}/{place}`.
struct ProfileLevelReply: Codable, Sendable {
    var level: ProfileLevel
    /// Clips the level names that the store does not hold yet (a gate refuses a profile naming one).
    var missingClips: [String]
}

/// The reply to `POST /v1/clips`.
struct ClipReply: Codable, Sendable {
    var sha256: String
    var bytes: Int
    /// What a profile writes to name it: `clip = "sha256:…"`.
    var reference: String
}
