import Foundation

/// A daily local-time window in which only alarms are played, e.g. 21:00–07:30 (may wrap midnight).
/// `from` is inclusive, `until` exclusive; `from == until` means no quiet hours.
public struct QuietHours: Sendable, Hashable, Codable {
    public var from: TimeOfDay
    public var until: TimeOfDay

    public init(from: TimeOfDay, until: TimeOfDay) {
        self.from = from
        self.until = until
    }

    /// Whether local time `time` (in `calendar`'s time zone) is inside the window.
    public func contains(_ time: Date, calendar: Calendar) -> Bool {
        let c = calendar.dateComponents([.hour, .minute], from: time)
        return contains(minutes: (c.hour ?? 0) * 60 + (c.minute ?? 0))
    }

    /// Whether a minute of the local day (0…1439) is inside the window.
    public func contains(minutes m: Int) -> Bool {
        let a = from.minutes, b = until.minutes
        if a == b { return false }
        return a < b ? (m >= a && m < b) : (m >= a || m < b)
    }
}
