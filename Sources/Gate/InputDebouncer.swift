import CheckpointCore

/// Debounces one GPIO input line (an exit button, a door contact): a level counts only once it
/// has held for `stableMs` without another edge. Pure: edges and the time (CLOCK_BOOTTIME, as
/// stamped when the kernel reported them) are passed in.
///
/// Contract: at most one `LineLevel` change is reported per stable period; bounces shorter than
/// `stableMs` are counted (`bounces`) and never reported; the level at start is the one given to
/// `init` (read from the line when it was requested), so no change is invented at start.
public struct InputDebouncer: Sendable {
    /// How long a level must hold before it counts, in ms (≥ 0; 0 = every edge counts at once).
    public let stableMs: Int
    /// The debounced level.
    public private(set) var level: LineLevel
    /// Edges that did not hold for `stableMs`.
    public private(set) var bounces = 0
    private var pending: (level: LineLevel, since: Duration)?

    public init(stableMs: Int, initial: LineLevel) {
        self.stableMs = max(0, stableMs)
        self.level = initial
    }

    /// When `advance(to:)` may report a change, if an edge is waiting to prove itself.
    public var deadline: Duration? { pending.map { $0.since + .milliseconds(stableMs) } }

    /// An edge to `newLevel` at `time`. Returns the new debounced level when it counts at once
    /// (`stableMs == 0`), else nil (call `advance(to:)` at `deadline`).
    public mutating func edge(to newLevel: LineLevel, at time: Duration) -> LineLevel? {
        if let p = pending {
            if p.level == newLevel { return nil }
            // The waiting level did not hold: a bounce. Back at the debounced level nothing waits.
            bounces += 1
            pending = newLevel == level ? nil : (newLevel, time)
        } else {
            guard newLevel != level else { return nil }
            pending = (newLevel, time)
        }
        return stableMs == 0 ? advance(to: time) : nil
    }

    /// Reports the debounced level if a waiting edge has held until `time`.
    public mutating func advance(to time: Duration) -> LineLevel? {
        guard let p = pending, time - p.since >= .milliseconds(stableMs) else { return nil }
        pending = nil
        level = p.level
        return level
    }
}
