import CheckpointCore
import DeviceIO
import Foundation
import Testing
@testable import Horn

@Suite("Schedules on a virtual clock")
struct ScheduleTests {
    static func calendar(_ zone: String) -> Calendar {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: zone)!
        return c
    }

    static func local(_ text: String, _ zone: String) -> Date {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: zone)
        f.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return f.date(from: text)!
    }

    static func format(_ d: Date, _ zone: String, _ pattern: String = "HH:mm") -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: zone)
        f.dateFormat = pattern
        return f.string(from: d)
    }

    static func t(_ s: String) -> TimeOfDay { TimeOfDay(s)! }

    /// Runs a day the way `HornService` does: wake at the planner's next occurrence, ask what is due,
    /// offer it to the controller with the quiet-hours flag; returns the local times that started.
    static func runDay(planner: SchedulePlanner, quiet: QuietHours?, from start: Date, until end: Date, zone: String) -> [String] {
        let clock = VirtualClock()
        let output = RecordingOutput(clock: clock)
        let amp = SimulatedOutputLine(name: "amp", now: clock.reader)
        let controller = HornController(settings: .init(timing: AmplifierTiming(warmup: .zero, tail: .zero, relayLead: .zero)),
                                        amplifier: amp, output: output)
        var plays: [String] = []
        var lastChecked = start
        while let next = planner.nextOccurrence(after: lastChecked), next < end {
            clock.set(.seconds(next.timeIntervalSince(start)))
            for due in planner.due(lastChecked: lastChecked, now: next) {
                let isQuiet = quiet?.contains(next, calendar: planner.calendar) ?? false
                let before = output.startedIDs.count
                controller.enqueue(due.announcementID, priority: .scheduled, now: clock.now, quiet: isQuiet)
                if output.startedIDs.count > before { plays.append(format(next, zone)) }
                if case .playing(let item) = controller.snapshot.state {
                    controller.playbackFinished(serial: item.serial, now: clock.now + .seconds(8))
                }
            }
            lastChecked = next
        }
        return plays
    }

    @Test("A day in Asia/Shanghai plays the reminder every 30 minutes from 08:30 to 18:00 and at 20:00, not in quiet hours")
    func wholeDayShanghai() {
        let zone = "Asia/Shanghai"
        let rules = [
            ScheduleRule(name: "reminder", announcementID: "reminder", timing: .every(minutes: 30, from: Self.t("08:30"), until: Self.t("18:00"))),
            ScheduleRule(name: "evening", announcementID: "evening", timing: .daily([Self.t("20:00"), Self.t("22:30")])),
        ]
        let planner = SchedulePlanner(rules: rules, timeZone: TimeZone(identifier: zone)!)
        let plays = Self.runDay(planner: planner, quiet: QuietHours(from: Self.t("21:00"), until: Self.t("07:00")),
                                from: Self.local("2026-02-10 00:00:00", zone), until: Self.local("2026-02-11 00:00:00", zone), zone: zone)
        let expected = ["08:30", "09:00", "09:30", "10:00", "10:30", "11:00", "11:30", "12:00", "12:30", "13:00",
                        "13:30", "14:00", "14:30", "15:00", "15:30", "16:00", "16:30", "17:00", "17:30", "18:00", "20:00"]
        #expect(plays == expected)
    }

    @Test("On the spring-forward day in Europe/Berlin the skipped local times do not play and later times shift to CEST")
    func berlinSpringForward() {
        let zone = "Europe/Berlin"
        let rules = [
            ScheduleRule(name: "night", announcementID: "n", timing: .every(minutes: 30, from: Self.t("01:00"), until: Self.t("04:00"))),
            ScheduleRule(name: "morning", announcementID: "m", timing: .daily([Self.t("08:30")])),
        ]
        let c = Self.calendar(zone)
        let all = rules.flatMap { $0.occurrences(after: Self.local("2026-03-29 00:00:00", zone), through: Self.local("2026-03-29 23:59:00", zone), calendar: c) }
            .sorted().map { Self.format($0, "UTC") }
        #expect(all == ["00:00", "00:30", "01:00", "01:30", "02:00", "06:30"])
    }

    @Test("On the fall-back day in Europe/Berlin the repeated hour plays once and later times shift to CET")
    func berlinFallBack() {
        let zone = "Europe/Berlin"
        let rules = [
            ScheduleRule(name: "night", announcementID: "n", timing: .every(minutes: 30, from: Self.t("01:00"), until: Self.t("04:00"))),
            ScheduleRule(name: "morning", announcementID: "m", timing: .daily([Self.t("08:30")])),
        ]
        let planner = SchedulePlanner(rules: rules, timeZone: TimeZone(identifier: zone)!)
        let start = Self.local("2026-10-25 00:00:00", zone)
        let end = Self.local("2026-10-25 23:59:00", zone)
        var plays: [String] = []
        var last = start
        while let next = planner.nextOccurrence(after: last), next < end {
            plays += planner.due(lastChecked: last, now: next).map { "\($0.announcementID) \(Self.format($0.scheduledAt, "UTC", "dd HH:mm"))" }
            last = next
        }
        #expect(plays == ["n 24 23:00", "n 24 23:30", "n 25 00:00", "n 25 00:30", "n 25 02:00", "n 25 02:30", "n 25 03:00", "m 25 07:30"])
    }

    @Test("Broadcasts missed while the device was off are not replayed in a burst")
    func missedNotReplayed() {
        let zone = "Asia/Shanghai"
        let rule = ScheduleRule(name: "reminder", announcementID: "reminder", timing: .every(minutes: 30, from: Self.t("08:30"), until: Self.t("18:00")))
        let planner = SchedulePlanner(rules: [rule], timeZone: TimeZone(identifier: zone)!, grace: .seconds(60))
        let off = Self.local("2026-02-10 09:10:00", zone)
        // Back at 11:47: the 11:30 broadcast is 17 minutes old, beyond the grace: nothing plays.
        #expect(planner.due(lastChecked: off, now: Self.local("2026-02-10 11:47:00", zone)).isEmpty)
        // Back at 12:00:30: only the 12:00 broadcast plays, not 09:30 … 11:30.
        let due = planner.due(lastChecked: off, now: Self.local("2026-02-10 12:00:30", zone))
        #expect(due.map { Self.format($0.scheduledAt, zone) } == ["12:00"])
        // With a 30-minute grace, at most the latest missed one.
        let lenient = SchedulePlanner(rules: [rule], timeZone: TimeZone(identifier: zone)!, grace: .seconds(1800))
        #expect(lenient.due(lastChecked: off, now: Self.local("2026-02-10 11:47:00", zone)).map { Self.format($0.scheduledAt, zone) } == ["11:30"])
        // On start (no previous check) the same grace applies.
        #expect(planner.due(lastChecked: nil, now: Self.local("2026-02-10 08:30:20", zone)).map { Self.format($0.scheduledAt, zone) } == ["08:30"])
    }

    @Test("Weekdays and date ranges limit the days a schedule runs")
    func weekdaysAndDates() {
        let zone = "Asia/Shanghai"
        let rule = ScheduleRule(name: "workdays", announcementID: "r", timing: .daily([Self.t("08:30")]),
                                weekdays: [2, 3, 4, 5, 6], firstDate: LocalDate("2026-02-04"), lastDate: LocalDate("2026-02-12"))
        let occurrences = rule.occurrences(after: Self.local("2026-02-01 00:00:00", zone), through: Self.local("2026-02-20 00:00:00", zone),
                                           calendar: Self.calendar(zone))
        // 2026-02-04 is a Wednesday; 7–8 February are a weekend.
        #expect(occurrences.map { Self.format($0, zone, "MM-dd HH:mm") } ==
                ["02-04 08:30", "02-05 08:30", "02-06 08:30", "02-09 08:30", "02-10 08:30", "02-11 08:30", "02-12 08:30"])
    }

    @Test("Quiet hours that wrap midnight cover the night and not the day")
    func quietWrap() {
        let q = QuietHours(from: Self.t("21:00"), until: Self.t("07:30"))
        #expect(q.contains(minutes: 21 * 60))
        #expect(q.contains(minutes: 3 * 60))
        #expect(!q.contains(minutes: 7 * 60 + 30))
        #expect(!q.contains(minutes: 12 * 60))
        #expect(!QuietHours(from: Self.t("08:00"), until: Self.t("08:00")).contains(minutes: 8 * 60))
    }

    @Test("Volume follows the priority and is reduced in a time band except for alarms")
    func volumeBands() {
        let zone = "Asia/Shanghai"
        let policy = VolumePolicy(byPriority: [.alarm: 1, .feedback: 0.8, .scheduled: 0.6, .ambient: 0.4],
                                  bands: [.init(from: Self.t("12:00"), until: Self.t("14:00"), scale: 0.5)])
        let noon = Self.local("2026-02-10 12:30:00", zone), morning = Self.local("2026-02-10 09:00:00", zone)
        let c = Self.calendar(zone)
        #expect(policy.volume(for: .scheduled, at: morning, calendar: c) == 0.6)
        #expect(policy.volume(for: .scheduled, at: noon, calendar: c) == 0.3)
        #expect(policy.volume(for: .alarm, at: noon, calendar: c) == 1)
    }
}
