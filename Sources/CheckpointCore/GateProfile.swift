import Foundation

/// The reply to `GET /v1/profile?since=V` (docs/fleet.md): the gate's effective profile — its
/// street's, community's and checkpoint's levels merged — as the TOML the gate lays over its local file.
public struct GateProfile: Codable, Sendable, Hashable {
    /// Rises whenever a level that applies to this gate changes; 0: no level is set.
    public var version: Int64
    /// The merged `[policy]` and `[horn]` sections, as TOML.
    public var toml: String
    /// The SHA-256 (lowercase hex) of every clip the profile names; fetched with `GET /v1/clips/{sha256}`.
    public var clips: [String]

    public init(version: Int64, toml: String, clips: [String]) {
        self.version = version
        self.toml = toml
        self.clips = clips
    }
}
