/// One request to play an announcement, as held by the queue. Times are on the horn's monotonic
/// clock (a `Duration` since its origin; virtual in tests).
public struct QueuedAnnouncement: Sendable, Hashable, Codable {
    /// Unique per request (assigned by the queue), to match playback completions.
    public var serial: UInt64
    /// The catalog id (e.g. `pass`), or `say:…` for ad-hoc speech.
    public var announcementID: String
    public var priority: AnnouncementPriority
    public var enqueuedAt: Duration
    /// If it has not started by then it is dropped (gate feedback: enqueue time + the start limit).
    public var startBy: Duration?
    /// Set by the horn when the item's audio could not be had in time (or not at all): the
    /// player plays `PCMAudio.fallbackTone` in its place.
    public var fallbackTone: Bool

    public init(serial: UInt64 = 0, announcementID: String, priority: AnnouncementPriority,
                enqueuedAt: Duration, startBy: Duration? = nil, fallbackTone: Bool = false) {
        self.serial = serial
        self.announcementID = announcementID
        self.priority = priority
        self.enqueuedAt = enqueuedAt
        self.startBy = startBy
        self.fallbackTone = fallbackTone
    }

    /// Two requests coalesce when they would sound the same at the same priority.
    func sounds(like other: QueuedAnnouncement) -> Bool {
        announcementID == other.announcementID && priority == other.priority
    }
}
