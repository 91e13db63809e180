import Foundation

/// What a gate reports of its profile in each heartbeat (`Heartbeat.profile`, docs/fleet.md).
public struct ProfileReport: Codable, Sendable, Hashable {
    /// The version the gate runs; 0: none (the local file alone).
    public var appliedVersion: Int64
    /// The last version the gate refused, if the refusal is newer than the applied version.
    public var refusedVersion: Int64?
    /// Why it refused it: a file:line:key validation error, or a clip it could not get.
    public var refusal: String?

    public init(appliedVersion: Int64, refusedVersion: Int64? = nil, refusal: String? = nil) {
        self.appliedVersion = appliedVersion
        self.refusedVersion = refusedVersion
        self.refusal = refusal
    }
}
