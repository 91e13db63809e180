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
    /// The store's clock minus ours at the last heartbeat, in seconds (positive: we are behind).
    public var clockOffsetSeconds: Double?

    public init(centralURL: String) { self.centralURL = centralURL }
}
