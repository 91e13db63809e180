import CheckpointCore

/// How the gate speaks through the horn: the gate-feedback announcement for a journaled decision
/// (by reason, then decision), a referral when an entry could not be journaled, and the (throttled)
/// request to scan again after a rejected scan, and the `remoteOpen` announcement after a lane was
/// opened from the central store.
struct GateAnnouncer: Sendable {
    var feedback: @Sendable (ReasonCode, Decision) -> Void
    var referral: @Sendable () -> Void
    var rescan: @Sendable () -> Void
    var remoteOpen: @Sendable () -> Void = {}
}
