import CheckpointConfig
import CheckpointCore
import Foundation
import Horn

/// Reading `HornConfiguration` from the configuration file (the type is in Horn).
extension HornConfiguration {
    /// Reads `[horn]` from the configuration's root table; the defaults if there is none.
    public static func parse(_ root: ConfigTable) throws(ConfigError) -> HornConfiguration {
        var c = HornConfiguration()
        guard let t = try root.table("horn") else { return c }
        try t.rejectUnknownKeys(["device", "timeZone", "warmupMs", "tailMs", "relayLeadMs", "feedbackStartWithinMs",
                                 "queueCapacity", "scheduleGraceSeconds", "audioWaitMs", "rescanMinIntervalMs", "rescanAnnouncement", "amplifier", "externalHornRelay", "volume",
                                 "volumeBand", "quietHours", "announcements", "events", "decisions", "schedule",
                                 "speechCommand", "speechCache", "speechCacheMaxMB", "speechTimeoutMs"])
        c.device = try t.string("device", default: c.device)
        if let zone = try t.string("timeZone") {
            guard let tz = TimeZone(identifier: zone) else { throw t.error("timeZone", "unknown time zone \"\(zone)\" (use an IANA name such as Asia/Shanghai)") }
            c.timeZone = tz
        }
        c.timing = AmplifierTiming(warmup: .milliseconds(try t.int("warmupMs", default: 150, in: 0...10_000)),
                                   tail: .milliseconds(try t.int("tailMs", default: 2000, in: 0...600_000)),
                                   relayLead: .milliseconds(try t.int("relayLeadMs", default: 50, in: 0...10_000)))
        c.feedbackStartLimit = .milliseconds(try t.int("feedbackStartWithinMs", default: 3000, in: 0...600_000))
        c.queueCapacity = try t.int("queueCapacity", default: 16, in: 1...1000)
        c.audioWait = .milliseconds(try t.int("audioWaitMs", default: 2000, in: 0...600_000))
        c.rescanMinInterval = .milliseconds(try t.int("rescanMinIntervalMs", default: 3000, in: 0...3_600_000))
        c.scheduleGrace = .seconds(try t.int("scheduleGraceSeconds", default: 60, in: 0...86_400))
        c.amplifier = try OutputLineSpec.parse(t, key: "amplifier")
        c.externalHornRelay = try OutputLineSpec.parse(t, key: "externalHornRelay")
        c.speechCommand = try t.string("speechCommand", default: c.speechCommand)
        c.speechCache = try t.string("speechCache", default: c.speechCache)
        c.speechCacheMaxMB = try t.int("speechCacheMaxMB", default: c.speechCacheMaxMB, in: 1...100_000)
        c.speechTimeout = .milliseconds(try t.int("speechTimeoutMs", default: 10_000, in: 100...600_000))
        if let v = try t.table("volume") {
            try v.rejectUnknownKeys(Set(AnnouncementPriority.allCases.map(\.rawValue)))
            for p in AnnouncementPriority.allCases {
                if let x = try v.double(p.rawValue, in: 0...1) { c.volume.byPriority[p] = x }
            }
        }
        c.volume.bands = try t.tables("volumeBand").map { (b: ConfigTable) throws(ConfigError) -> VolumePolicy.Band in
            try b.rejectUnknownKeys(["from", "until", "scale"])
            return VolumePolicy.Band(from: try time(b, "from"), until: try time(b, "until"), scale: try b.requiredDouble("scale", in: 0...1))
        }
        if let q = try t.table("quietHours") {
            try q.rejectUnknownKeys(["from", "until"])
            c.quietHours = QuietHours(from: try time(q, "from"), until: try time(q, "until"))
        }
        var announcements = c.catalog.announcements
        if let a = try t.table("announcements") {
            var sequences: [(id: String, entry: ConfigTable)] = []
            for id in a.keys {
                guard let entry = try a.table(id) else { continue }
                try entry.rejectUnknownKeys(["text", "clip", "voice", "priority", "sequence", "pauseMs"])
                if entry.contains("sequence") { sequences.append((id, entry)); continue }
                if entry.contains("pauseMs") { throw entry.error("pauseMs", "only a sequence has a pause between its parts") }
                let text = try entry.string("text"), clip = try entry.string("clip")
                if text == nil && clip == nil { throw entry.error("needs text, clip, or both (or sequence = [ids])") }
                if let text, text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw entry.error("text", "is empty") }
                announcements[id] = Announcement(id: id, clip: clip, text: text, voice: try entry.string("voice", default: "cmn"),
                                                 priority: try entry.enumeration("priority", AnnouncementPriority.self))
            }
            let sequenceIDs = Set(sequences.map(\.id))
            for (id, entry) in sequences {
                announcements[id] = try sequence(id, entry, members: announcements, sequenceIDs: sequenceIDs)
            }
        }
        c.catalog.announcements = announcements
        if let e = try t.table("events") {
            try e.rejectUnknownKeys(Set(ReasonCode.allCases.map(\.rawValue)))
            for reason in ReasonCode.allCases {
                if let id = try announcementID(e, reason.rawValue, announcements) { c.catalog.byReason[reason] = id }
            }
        }
        if let d = try t.table("decisions") {
            try d.rejectUnknownKeys(Set(Decision.allCases.map(\.rawValue)))
            for decision in Decision.allCases {
                if let id = try announcementID(d, decision.rawValue, announcements) { c.catalog.byDecision[decision] = id }
            }
        }
        if let id = try announcementID(t, "rescanAnnouncement", announcements) { c.catalog.rescan = id }
        c.schedules = try t.tables("schedule").map { (s: ConfigTable) throws(ConfigError) -> ScheduleRule in
            try schedule(s, announcements)
        }
        return c
    }

    /// A `sequence = [ids]` announcement: the members' parts in order (members are one-part
    /// announcements, defaults included; sequences do not nest), `pauseMs` of silence between them
    /// (default 300), and its own `priority` or else the highest of its members' (so a sequence
    /// that starts with the fever warning stays an alarm).
    private static func sequence(_ id: String, _ entry: ConfigTable, members known: [String: Announcement],
                                 sequenceIDs: Set<String>) throws(ConfigError) -> Announcement {
        for key in ["text", "clip", "voice"] where entry.contains(key) {
            throw entry.error(key, "a sequence takes its sound from its members; give \(key) in a member")
        }
        let ids = try entry.strings("sequence") ?? []
        if ids.isEmpty { throw entry.error("sequence", "is empty") }
        var members: [Announcement] = []
        for (i, memberID) in ids.enumerated() {
            if memberID == id || sequenceIDs.contains(memberID) {
                throw entry.error("sequence[\(i)]", "\"\(memberID)\" is a sequence (sequences do not nest)")
            }
            guard let member = known[memberID] else {
                throw entry.error("sequence[\(i)]", "no announcement \"\(memberID)\" (known: \(known.keys.sorted().joined(separator: ", ")))")
            }
            members.append(member)
        }
        let pauseMs = try entry.int("pauseMs", default: 300, in: 0...10_000)
        let priority = try entry.enumeration("priority", AnnouncementPriority.self) ?? members.compactMap(\.priority).max()
        return Announcement(id: id, parts: members.flatMap(\.parts), pause: .milliseconds(pauseMs), priority: priority)
    }

    /// An event mapping value: an announcement id, or "" to say nothing.
    private static func announcementID(_ t: ConfigTable, _ key: String, _ known: [String: Announcement]) throws(ConfigError) -> String? {
        guard let id = try t.string(key) else { return nil }
        if !id.isEmpty && known[id] == nil {
            throw t.error(key, "no announcement \"\(id)\" (known: \(known.keys.sorted().joined(separator: ", ")))")
        }
        return id
    }

    private static func time(_ t: ConfigTable, _ key: String) throws(ConfigError) -> TimeOfDay {
        let text = try t.requiredString(key)
        guard let v = TimeOfDay(text) else { throw t.error(key, "\"\(text)\" is not a time of day HH:MM") }
        return v
    }

    private static let weekdayNames = ["sun": 1, "mon": 2, "tue": 3, "wed": 4, "thu": 5, "fri": 6, "sat": 7]

    private static func schedule(_ s: ConfigTable, _ known: [String: Announcement]) throws(ConfigError) -> ScheduleRule {
        try s.rejectUnknownKeys(["name", "announcement", "at", "every", "from", "until", "weekdays", "firstDate", "lastDate"])
        let id = try s.requiredString("announcement")
        guard known[id] != nil else { throw s.error("announcement", "no announcement \"\(id)\"") }
        let timing: ScheduleRule.Timing
        if let at = try s.strings("at") {
            if s.contains("every") { throw s.error("every", "give either at or every, not both") }
            var times: [TimeOfDay] = []
            for (i, text) in at.enumerated() {
                guard let v = TimeOfDay(text), v.hour < 24 else { throw s.error("at[\(i)]", "\"\(text)\" is not a time of day HH:MM") }
                times.append(v)
            }
            if times.isEmpty { throw s.error("at", "is empty") }
            timing = .daily(times)
        } else if let every = try s.int("every", in: 1...1440) {
            let from = try time(s, "from"), until = try time(s, "until")
            if until < from { throw s.error("until", "\(until) is before from \(from) (a window cannot wrap midnight; use two schedules)") }
            timing = .every(minutes: every, from: from, until: until)
        } else {
            throw s.error("needs at = [\"HH:MM\", …] or every = MINUTES with from and until")
        }
        var weekdays: Set<Int>? = nil
        if let names = try s.strings("weekdays") {
            var set = Set<Int>()
            for (i, n) in names.enumerated() {
                guard let d = weekdayNames[n.lowercased()] else { throw s.error("weekdays[\(i)]", "\"\(n)\" is not one of mon, tue, wed, thu, fri, sat, sun") }
                set.insert(d)
            }
            weekdays = set
        }
        func date(_ key: String) throws(ConfigError) -> LocalDate? {
            guard let text = try s.string(key) else { return nil }
            guard let d = LocalDate(text) else { throw s.error(key, "\"\(text)\" is not a date YYYY-MM-DD") }
            return d
        }
        let first = try date("firstDate"), last = try date("lastDate")
        if let first, let last, last < first { throw s.error("lastDate", "\(last) is before firstDate \(first)") }
        return ScheduleRule(name: try s.string("name", default: s.path), announcementID: id, timing: timing,
                            weekdays: weekdays, firstDate: first, lastDate: last)
    }
}
