import CheckpointCore
import Foundation

/// When a gate's health raises an alert. Each condition raises one alert when it begins, not one
/// per heartbeat while it lasts: a gate silent once more after contact, an offset that came back
/// within the bound and left it again, a device that recovered and failed again each raise anew.
public struct GateAlertRules: Sendable, Hashable {
    /// `.gateSilent` when neither a heartbeat nor an ingest arrived for this long (seconds); the
    /// time since registration counts for a gate never heard from. Revoked gates are never silent.
    public var silentAfter: TimeInterval
    /// `.clockSkew` when |server time − the heartbeat's `sentAt`| exceeds this (seconds).
    public var clockOffsetBound: TimeInterval
    /// `.deviceFault` when a heartbeat reports a device in one of these statuses that the previous
    /// heartbeat did not (a device new in the list counts as changed).
    public var faultStatuses: Set<DeviceState.Status>

    /// Silent after 10 min, clock offset beyond 60 s, devices `faulty` or `missing`.
    public static let standard = GateAlertRules(silentAfter: 600, clockOffsetBound: 60, faultStatuses: [.faulty, .missing])

    public init(silentAfter: TimeInterval, clockOffsetBound: TimeInterval, faultStatuses: Set<DeviceState.Status>) {
        self.silentAfter = silentAfter
        self.clockOffsetBound = clockOffsetBound
        self.faultStatuses = faultStatuses
    }
}
