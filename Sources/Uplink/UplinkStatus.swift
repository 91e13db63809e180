import CheckpointCore
import Foundation

/// What the uplink is doing, for heartbeats, logs and `checkpointctl uplink`.
public struct UplinkStatus: Sendable, Hashable, Codable {
    public var centralURL: String
    /// Last time the central store answered anything (2xx).
    public var lastContact: Date?
    /// The last failure, if the most recent attempt failed.
    public var lastError: String?
    public var consecutiveFailures: Int = 0
    /// Set when the store answered 409 (same key, different id): ingest stops until an operator
    /// resolves it and restarts the service; heartbeats continue.
    public var conflict: String?
    /// Records sent (including resends) and acknowledged since start.
    public var recordsSent: Int = 0
    public var acknowledgedThrough: Int64 = 0
    public var backlog: Int64 = 0
    public var watchListVersion: Int64 = 0
    /// Set while the store sends a keyed watch list this gate cannot match (no district key): the
    /// list is not applied, the last one this gate could use stays in force.
    public var watchListRefused: String?
    /// Records the store refused for good (kept in the journal as rejected, never resent).
    public var rejectedRecords: Int = 0
    /// The latest of them: "seq N: the store's answer".
    public var lastRejection: String?
    /// Set while the store refuses this gate's credential (401/403): critical, retried slowly.
    public var credentialRefused: String?
    /// The batch size after the store answered 413 (nil: the configured one).
    public var batchSize: Int?
    /// The store's clock minus ours at the last heartbeat, in seconds (positive: we are behind).
    public var clockOffsetSeconds: Double?
    /// The gate profile: the version applied, or the last refusal (nil: profiles not in use).
    public var profile: ProfileReport?

    public init(centralURL: String) { self.centralURL = centralURL }
}
