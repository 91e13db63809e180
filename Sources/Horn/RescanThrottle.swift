/// Lets the rescan prompt through at most once per `interval` (times on a monotonic clock, passed
/// in), so line noise producing a burst of rejected scans cannot make the horn chatter. Pure state.
public struct RescanThrottle: Sendable, Hashable {
    public private(set) var interval: Duration
    public private(set) var requested = 0
    public private(set) var suppressed = 0
    private var lastAdmitted: Duration?

    /// A reloaded interval; the counters and the last prompt's time stay.
    public mutating func change(interval: Duration) { self.interval = interval }

    /// - Parameter interval: the least time between two prompts (0: every request plays).
    public init(interval: Duration) {
        self.interval = interval
    }

    /// Whether a prompt requested at `now` plays; a refused one is counted in `suppressed`.
    public mutating func admit(now: Duration) -> Bool {
        requested += 1
        if let last = lastAdmitted, now - last < interval {
            suppressed += 1
            return false
        }
        lastAdmitted = now
        return true
    }
}
