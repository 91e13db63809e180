import Foundation

/// The body of `POST /v1/heartbeat`: how a gate is doing. Sent periodically and with every uplink cycle.
public struct Heartbeat: Codable, Sendable, Hashable {
    public var gate: String
    /// The gate's wall clock when it sent this (the store derives the clock offset from it).
    public var sentAt: Date
    public var clockSynced: Bool
    public var bootID: String
    public var monotonicNanos: UInt64
    public var journalEpoch: UUID
    /// Highest seq journaled in `journalEpoch`.
    public var lastSeq: Int64
    /// Records journaled but not yet acknowledged by the store.
    public var backlog: Int64
    public var softwareVersion: String
    public var devices: [DeviceState]
    /// The gate's profile: applied version, or the refusal (absent from gates before profiles).
    public var profile: ProfileReport? = nil

    public init(gate: String, sentAt: Date, clockSynced: Bool, bootID: String, monotonicNanos: UInt64,
                journalEpoch: UUID, lastSeq: Int64, backlog: Int64, softwareVersion: String, devices: [DeviceState]) {
        self.gate = gate
        self.sentAt = sentAt
        self.clockSynced = clockSynced
        self.bootID = bootID
        self.monotonicNanos = monotonicNanos
        self.journalEpoch = journalEpoch
        self.lastSeq = lastSeq
        self.backlog = backlog
        self.softwareVersion = softwareVersion
        self.devices = devices
    }
}

/// One device as the gate sees it.
public struct DeviceState: Codable, Sendable, Hashable {
    /// `uplink`: the gate's link to the central store (degraded once the store rejected a record).
    public enum Role: String, Codable, Sendable, CaseIterable { case thermometer, scanner, horn, relay, indicator, idReader, uplink }
    public enum Status: String, Codable, Sendable, CaseIterable { case ok, degraded, missing, faulty }
    public var id: String
    public var role: Role
    public var status: Status
    /// The catalog model it matched, if any.
    public var model: String?
    /// Human-readable detail: last error, counters.
    public var detail: String?
    /// Input from the device that was rejected since the daemon started, by reason (a scanner's
    /// `ScanRejectionReason.code`, a thermometer's `Rejection.Reason`); nil when none was.
    public var rejections: [String: Int]?

    public init(id: String, role: Role, status: Status, model: String? = nil, detail: String? = nil,
                rejections: [String: Int]? = nil) {
        self.id = id
        self.role = role
        self.status = status
        self.model = model
        self.detail = detail
        self.rejections = rejections
    }
}

/// The reply to a heartbeat.
public struct HeartbeatResponse: Codable, Sendable, Hashable {
    /// The store's wall clock when it handled the heartbeat.
    public var serverTime: Date
    /// The current version of the watch list (fetch `GET /v1/watchlist?since=` if newer than yours).
    public var watchListVersion: Int64
    /// The gate's current profile version (fetch `GET /v1/profile?since=` if it differs from the
    /// applied one); absent from stores before profiles.
    public var profileVersion: Int64? = nil
    /// The gate's pending remote commands, as `GET /v1/commands` would hand them out: the fallback
    /// when the gate's long-poll does not get through. Absent from stores before it.
    public var commands: [RemoteCommand]? = nil

    public init(serverTime: Date, watchListVersion: Int64) {
        self.serverTime = serverTime
        self.watchListVersion = watchListVersion
    }
}
