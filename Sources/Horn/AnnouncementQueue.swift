/// The pending announcements: pure state, no clock of its own (times are passed in).
///
/// Rules: highest priority first, FIFO within a priority; an identical pending request (same id and
/// priority) coalesces with the new one; at most `capacity` pending — when full, the oldest request
/// of the lowest pending priority is dropped for a more urgent one, or the new request is dropped if
/// nothing pending is less urgent; in quiet hours only alarms are accepted; a request whose
/// `startBy` has passed is dropped when it would be started. Every drop is counted.
public struct AnnouncementQueue: Sendable {
    public enum Outcome: Sendable, Hashable {
        case queued(serial: UInt64)
        /// An identical request was already pending; nothing added.
        case coalesced(withSerial: UInt64)
        /// Queued, and `dropped` (less urgent) was removed to make room.
        case queuedDroppingLowest(serial: UInt64, dropped: QueuedAnnouncement)
        /// The queue is full of requests at least as urgent: the new one is dropped.
        case droppedQueueFull
        /// Quiet hours: only alarms are played.
        case rejectedQuietHours
    }

    /// Counters since start, for `horn.queue` and metrics.
    public struct Counters: Sendable, Hashable, Codable {
        public var queued = 0
        public var coalesced = 0
        public var droppedFull = 0
        public var expired = 0
        public var rejectedQuiet = 0
        public var preempted = 0
        public var cleared = 0
        public init() {}
    }

    public let capacity: Int
    public private(set) var pending: [QueuedAnnouncement] = []
    public private(set) var counters = Counters()
    private var nextSerial: UInt64 = 1

    /// - Parameter capacity: maximum pending requests (at least 1).
    public init(capacity: Int = 16) {
        self.capacity = max(1, capacity)
    }

    /// Offers a request (its `serial` is assigned here). `quiet` is whether quiet hours apply now.
    public mutating func enqueue(_ request: QueuedAnnouncement, quiet: Bool = false) -> Outcome {
        if quiet && request.priority != .alarm {
            counters.rejectedQuiet += 1
            return .rejectedQuietHours
        }
        if let same = pending.first(where: { $0.sounds(like: request) }) {
            counters.coalesced += 1
            return .coalesced(withSerial: same.serial)
        }
        var item = request
        item.serial = nextSerial
        var dropped: QueuedAnnouncement? = nil
        if pending.count >= capacity {
            let lowest = pending.map(\.priority).min() ?? request.priority
            guard lowest < request.priority, let victim = pending.firstIndex(where: { $0.priority == lowest }) else {
                counters.droppedFull += 1
                return .droppedQueueFull
            }
            dropped = pending.remove(at: victim)
            counters.droppedFull += 1
        }
        nextSerial += 1
        // Insert after every pending request of the same or higher priority (stable FIFO within a priority).
        let position = pending.firstIndex(where: { $0.priority < item.priority }) ?? pending.endIndex
        pending.insert(item, at: position)
        counters.queued += 1
        if let dropped { return .queuedDroppingLowest(serial: item.serial, dropped: dropped) }
        return .queued(serial: item.serial)
    }

    /// The most urgent pending request that may still start at `now`, removed from the queue;
    /// expired requests met on the way are dropped and counted.
    public mutating func next(now: Duration) -> QueuedAnnouncement? {
        dropExpired(now: now)
        return pending.isEmpty ? nil : pending.removeFirst()
    }

    /// Returns an item taken by `next(now:)` that never started (a more urgent request came while
    /// it waited for its audio) to the front of its priority; not counted again.
    public mutating func putBack(_ item: QueuedAnnouncement) {
        let position = pending.firstIndex(where: { $0.priority <= item.priority }) ?? pending.endIndex
        pending.insert(item, at: position)
    }

    /// The most urgent pending priority, without removing anything.
    public var headPriority: AnnouncementPriority? { pending.first?.priority }

    /// Drops every pending request whose `startBy` is before `now`.
    public mutating func dropExpired(now: Duration) {
        let before = pending.count
        pending.removeAll { item in item.startBy.map { now > $0 } ?? false }
        counters.expired += before - pending.count
    }

    /// The earliest `startBy` among pending requests (when the queue next changes by itself).
    public var earliestExpiry: Duration? { pending.compactMap(\.startBy).min() }

    /// Removes everything pending (`horn.stop`); returns how many were removed.
    @discardableResult
    public mutating func clear() -> Int {
        let n = pending.count
        pending.removeAll()
        counters.cleared += n
        return n
    }

    /// Counts a playing request that an alarm cut off.
    public mutating func countPreempted() { counters.preempted += 1 }
}
