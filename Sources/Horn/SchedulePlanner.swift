import Foundation

/// Decides which scheduled broadcasts are due, in the horn's time zone. Pure: the caller passes the
/// time it last asked and the time now.
///
/// Missed occurrences are never replayed in a burst: per rule, only the latest occurrence in
/// `(lastChecked, now]` is due, and only if it is at most `grace` old. After the device was off
/// (or the process stalled) longer than `grace`, the missed broadcasts are skipped; the next one
/// plays on time.
public struct SchedulePlanner: Sendable {
    public var rules: [ScheduleRule]
    public var calendar: Calendar
    /// How late an occurrence may still be played (default 60 s).
    public var grace: Duration

    public struct Due: Sendable, Hashable {
        public var rule: String
        public var announcementID: String
        /// The scheduled instant (not when it was noticed).
        public var scheduledAt: Date
    }

    public init(rules: [ScheduleRule], timeZone: TimeZone, grace: Duration = .seconds(60)) {
        self.rules = rules
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.calendar = calendar
        self.grace = grace
    }

    /// The broadcasts due at `now`, given the previous call was at `lastChecked` (nil on start: then
    /// only occurrences within `grace` before `now` count), ordered by scheduled time.
    public func due(lastChecked: Date?, now: Date) -> [Due] {
        let graceSeconds = Double(grace.components.seconds) + Double(grace.components.attoseconds) / 1e18
        let oldestAllowed = now.addingTimeInterval(-graceSeconds)
        let from = max(lastChecked ?? oldestAllowed, oldestAllowed.addingTimeInterval(-0.000_001))
        var out: [Due] = []
        for rule in rules {
            guard let latest = rule.occurrences(after: from, through: now, calendar: calendar).last,
                  latest >= oldestAllowed else { continue }
            out.append(Due(rule: rule.name, announcementID: rule.announcementID, scheduledAt: latest))
        }
        return out.sorted { ($0.scheduledAt, $0.rule) < ($1.scheduledAt, $1.rule) }
    }

    /// The first occurrence of any rule strictly after `time`, searching up to `horizonDays` ahead
    /// (when to wake next); nil if no rule plays in that horizon.
    public func nextOccurrence(after time: Date, horizonDays: Int = 8) -> Date? {
        guard let end = calendar.date(byAdding: .day, value: horizonDays, to: time) else { return nil }
        return rules.compactMap { $0.occurrences(after: time, through: end, calendar: calendar).first }.min()
    }
}
