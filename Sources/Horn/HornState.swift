/// What the horn is doing, as reported by `horn.queue`.
public enum HornState: Sendable, Hashable, Codable {
    /// Amplifier off, nothing to play.
    case idle
    /// External-horn relay closed, waiting to enable the amplifier (until the given time).
    case relaySettling(until: Duration)
    /// Amplifier on, waiting for it to settle before the first sample.
    case warmingUp(until: Duration)
    /// Amplifier on, the item's turn has come but its audio is still rendering; the fallback tone
    /// plays in its place at the given time if it is not ready by then.
    case awaitingAudio(QueuedAnnouncement, until: Duration)
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
    /// Items whose turn came before their audio was rendered (each then played when ready, or as
    /// the fallback tone), since start.
    public var audioLate: Int
    /// Items played as the fallback tone (audio not ready in time, or not renderable), since start.
    public var fallbackTones: Int
    /// Rescan prompts asked for (`HornService.announceRescan()`), and those suppressed by its
    /// throttle, since start.
    public var rescanRequested = 0
    public var rescanSuppressed = 0
}
