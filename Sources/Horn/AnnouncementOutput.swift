/// Where the controller sends an announcement to be heard: the ALSA player in production, a
/// recording fake in tests.
public protocol AnnouncementOutput: AnyObject, Sendable {
    /// Starts playing `item` at `volume` (0…1) and returns at once. Calls `finished` exactly once
    /// when playback ends or is stopped — never synchronously from inside `start`.
    /// Throws if the item cannot be played (unknown id, unreadable clip); nothing is then started.
    func start(_ item: QueuedAnnouncement, volume: Double, finished: @escaping @Sendable () -> Void) throws
    /// Stops the current playback now (queued samples discarded, not drained).
    func stop()
}
