/// What the horn is doing, as reported by `horn.queue`.
public enum HornState: Sendable, Hashable, Codable {
    /// Amplifier off, nothing to play.
    case idle
    /// External-horn relay closed, waiting to enable the amplifier (until the given time).
    case relaySettling(until: Duration)
    /// Amplifier on, waiting for it to settle before the first sample.
    case warmingUp(until: Duration)
    case playing(QueuedAnnouncement)
    /// Amplifier still on after the last item, until the given time.
    case tail(until: Duration)
    /// `horn.testAmplifier`: lines held active without audio until the given time.
    case testingAmplifier(until: Duration)
}

/// A consistent picture of the horn for `horn.queue` and tests.
public struct HornSnapshot: Sendable, Hashable, Codable {
    public var state: HornState
    public var pending: [QueuedAnnouncement]
    public var counters: AnnouncementQueue.Counters
    /// Failures to drive a line or to start playback, since start.
    public var failures: Int
}
