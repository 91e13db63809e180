import Foundation

/// One broadcast schedule: which announcement, and at which local times.
///
/// Times are local wall-clock times in the horn's time zone. On a day when a local time does not
/// exist (the hour skipped when daylight saving starts) it is skipped; when it exists twice (the
/// hour repeated when it ends) it plays once, at its first occurrence.
public struct ScheduleRule: Sendable, Hashable, Codable {
    public enum Timing: Sendable, Hashable, Codable {
        /// At each of these local times.
        case daily([TimeOfDay])
        /// Every `minutes` minutes from `from` through `until` (inclusive when it falls on the step).
        case every(minutes: Int, from: TimeOfDay, until: TimeOfDay)
    }

    /// A name for logs and `horn.queue` (the config key path if nothing better).
    public var name: String
    public var announcementID: String
    public var timing: Timing
    /// Days of the week it runs, 1 = Sunday … 7 = Saturday (Foundation's numbering); nil = every day.
    public var weekdays: Set<Int>?
    /// First and last local date it runs (inclusive); nil = unbounded.
    public var firstDate: LocalDate?
    public var lastDate: LocalDate?

    public init(name: String, announcementID: String, timing: Timing, weekdays: Set<Int>? = nil,
                firstDate: LocalDate? = nil, lastDate: LocalDate? = nil) {
        self.name = name
        self.announcementID = announcementID
        self.timing = timing
        self.weekdays = weekdays
        self.firstDate = firstDate
        self.lastDate = lastDate
    }

    /// The local times of day this rule plays on a day it runs, ascending.
    public var timesOfDay: [TimeOfDay] {
        switch timing {
        case .daily(let times):
            return Array(Set(times)).sorted()
        case .every(let step, let from, let until):
            guard step > 0 else { return [] }
            return stride(from: from.minutes, through: until.minutes, by: step).compactMap {
                TimeOfDay(hour: $0 / 60, minute: $0 % 60)
            }.filter { $0.hour < 24 }
        }
    }

    /// Whether the rule runs on the local day `date` (weekday and date range).
    public func runs(on date: LocalDate, weekday: Int) -> Bool {
        if let weekdays, !weekdays.contains(weekday) { return false }
        if let firstDate, date < firstDate { return false }
        if let lastDate, date > lastDate { return false }
        return true
    }

    /// Every instant in `(after, through]` at which this rule plays, ascending.
    public func occurrences(after start: Date, through end: Date, calendar: Calendar) -> [Date] {
        guard end > start else { return [] }
        var out: [Date] = []
        // Walk local days from the one containing `start` to the one containing `end`.
        var day = calendar.startOfDay(for: start)
        let times = timesOfDay
        while day <= end {
            let c = calendar.dateComponents([.year, .month, .day, .weekday], from: day)
            if let y = c.year, let m = c.month, let d = c.day, let wd = c.weekday,
               let local = LocalDate(year: y, month: m, day: d), runs(on: local, weekday: wd) {
                for t in times {
                    guard let instant = Self.instant(local, t, calendar: calendar) else { continue }
                    if instant > start && instant <= end { out.append(instant) }
                }
            }
            guard let next = calendar.date(byAdding: .day, value: 1, to: day) else { break }
            day = calendar.startOfDay(for: next)
        }
        return out
    }

    /// The instant of local `date` `time`, nil if that local time does not exist that day.
    static func instant(_ date: LocalDate, _ time: TimeOfDay, calendar: Calendar) -> Date? {
        var c = DateComponents()
        c.year = date.year
        c.month = date.month
        c.day = date.day
        c.hour = time.hour
        c.minute = time.minute
        guard let instant = calendar.date(from: c) else { return nil }
        // A skipped local time comes back shifted: reject it rather than play at a different time.
        let back = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: instant)
        guard back.year == date.year, back.month == date.month, back.day == date.day,
              back.hour == time.hour, back.minute == time.minute else { return nil }
        return instant
    }
}
