import Foundation

/// Output volume (a linear sample scale, 0…1) per priority, reduced in local time bands
/// (e.g. 12:00–14:00 at 0.5 for the midday rest). Alarms are never reduced by a band.
public struct VolumePolicy: Sendable, Hashable {
    public struct Band: Sendable, Hashable {
        public var from: TimeOfDay
        public var until: TimeOfDay
        /// Multiplies the priority's volume, 0…1.
        public var scale: Double

        public init(from: TimeOfDay, until: TimeOfDay, scale: Double) {
            self.from = from
            self.until = until
            self.scale = scale
        }
    }

    public var byPriority: [AnnouncementPriority: Double]
    public var bands: [Band]

    public init(byPriority: [AnnouncementPriority: Double] = [.alarm: 1.0, .feedback: 0.8, .scheduled: 0.7, .ambient: 0.5],
                bands: [Band] = []) {
        self.byPriority = byPriority
        self.bands = bands
    }

    /// The scale for `priority` at local time `time`; the first matching band applies.
    public func volume(for priority: AnnouncementPriority, at time: Date, calendar: Calendar) -> Double {
        let base = min(1, max(0, byPriority[priority] ?? 1))
        guard priority != .alarm else { return base }
        for band in bands where QuietHours(from: band.from, until: band.until).contains(time, calendar: calendar) {
            return base * min(1, max(0, band.scale))
        }
        return base
    }
}
