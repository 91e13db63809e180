/// How urgent an announcement is. Higher preempts or goes before lower:
/// alarm > gate feedback > scheduled broadcast > ambient.
public enum AnnouncementPriority: String, Sendable, Hashable, CaseIterable, Comparable, Codable {
    /// Background content, played only when nothing else waits.
    case ambient
    /// Reminders from the schedule ("减少外出、亲友聚会……").
    case scheduled
    /// The gate's answer to one person ("体温正常,请通行"); expires if it cannot start in time.
    case feedback
    /// Fever, watch list, faults: preempts whatever plays and is the only thing heard in quiet hours.
    case alarm

    var rank: Int {
        switch self {
        case .ambient: return 0
        case .scheduled: return 1
        case .feedback: return 2
        case .alarm: return 3
        }
    }

    public static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }
}
