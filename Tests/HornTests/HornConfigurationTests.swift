import CheckpointConfig
import CheckpointCore
import DeviceIO
import HornConfig
import Testing
@testable import Horn

@Suite("Horn configuration")
struct HornConfigurationTests {
    func parse(_ text: String) throws -> HornConfiguration {
        try HornConfiguration.parse(ConfigDocument(text: text, file: "/etc/checkpoint/checkpoint.toml").root)
    }

    func error(_ text: String) -> ConfigError? {
        do { _ = try parse(text); return nil } catch let e as ConfigError { return e } catch { return nil }
    }

    @Test("Without a horn section the Mandarin defaults answer the gate's events")
    func defaults() throws {
        let c = try parse("")
        #expect(c.catalog.announcement(for: .admitted, decision: .admit)?.text == "体温正常,请通行")
        #expect(c.catalog.announcement(for: .fever, decision: .refuse)?.text == "体温异常,请留步")
        #expect(c.catalog.announcement(for: .fever, decision: .refuse)?.priority == .alarm)
        #expect(c.catalog.announcement("reminder")?.parts.first?.text?.contains("减少外出、亲友聚会,避免人员聚集,出门要戴好口罩") == true)
        #expect(c.catalog.announcement(for: .codeDenied, decision: .refuse)?.id == "refused")
        #expect(c.timing == AmplifierTiming(warmup: .milliseconds(150), tail: .seconds(2), relayLead: .milliseconds(50)))
        #expect(c.feedbackStartLimit == .seconds(3))
        #expect(c.catalog.rescan.flatMap { c.catalog.announcement($0) }?.text == "请重新扫码")
        #expect(c.audioWait == .seconds(2))
        #expect(c.rescanMinInterval == .seconds(3))
    }

    @Test("The audio wait, the rescan interval and the rescan announcement are configurable, and \"\" silences the prompt")
    func rescanAndAudioWait() throws {
        let c = try parse("[horn]\naudioWaitMs = 500\nrescanMinIntervalMs = 10000\nrescanAnnouncement = \"beep\"\n[horn.announcements.beep]\nclip = \"/x.wav\"\n")
        #expect(c.audioWait == .milliseconds(500))
        #expect(c.rescanMinInterval == .seconds(10))
        #expect(c.catalog.rescan == "beep")
        #expect(try parse("[horn]\nrescanAnnouncement = \"\"\n").catalog.rescan == "")
        let unknown = error("[horn]\nrescanAnnouncement = \"nosuch\"\n")
        #expect(unknown?.key == "horn.rescanAnnouncement" && unknown?.line == 2)
        #expect(error("[horn]\naudioWaitMs = -1\n")?.key == "horn.audioWaitMs")
    }

    @Test("A full horn section is read: lines, timing, volume, quiet hours, announcements, events and schedules")
    func full() throws {
        let c = try parse("""
        [horn]
        device = "plughw:1"
        timeZone = "Europe/Berlin"
        warmupMs = 200
        tailMs = 1500
        feedbackStartWithinMs = 2500
        amplifier = { chip = "gpiochip0", offset = 5, activeLow = true }
        externalHornRelay = { name = "HORN_RELAY" }

        [horn.volume]
        scheduled = 0.5

        [[horn.volumeBand]]
        from = "12:00"
        until = "14:00"
        scale = 0.5

        [horn.quietHours]
        from = "21:00"
        until = "07:00"

        [horn.announcements.chime]
        clip = "/usr/share/checkpoint/chime.wav"

        [horn.announcements.pass]
        text = "请通行"

        [horn.events]
        manualOpen = "chime"

        [horn.decisions]
        refer = ""

        [[horn.schedule]]
        announcement = "reminder"
        every = 30
        from = "08:30"
        until = "18:00"
        weekdays = ["mon", "tue", "wed", "thu", "fri"]
        firstDate = "2026-02-01"

        [[horn.schedule]]
        announcement = "chime"
        at = ["12:00"]
        """)
        #expect(c.device == "plughw:1")
        #expect(c.timeZone.identifier == "Europe/Berlin")
        #expect(c.timing.warmup == .milliseconds(200) && c.timing.tail == .milliseconds(1500))
        #expect(c.feedbackStartLimit == .milliseconds(2500))
        #expect(c.amplifier == OutputLineSpec(address: .chipOffset(chip: "gpiochip0", offset: 5), activeLow: true, source: "horn.amplifier"))
        #expect(c.externalHornRelay?.address == .named("HORN_RELAY"))
        #expect(c.volume.byPriority[.scheduled] == 0.5 && c.volume.byPriority[.alarm] == 1)
        #expect(c.volume.bands.count == 1)
        #expect(c.quietHours == QuietHours(from: TimeOfDay("21:00")!, until: TimeOfDay("07:00")!))
        #expect(c.catalog.announcement("pass")?.text == "请通行")
        #expect(c.catalog.announcement(for: .manualOpen, decision: .admit)?.id == "chime")
        #expect(c.catalog.announcement(for: .codeDenied, decision: .refer) == nil)
        #expect(c.schedules.count == 2)
        #expect(c.schedules[0].weekdays == [2, 3, 4, 5, 6])
        #expect(c.schedules[0].timesOfDay.first == TimeOfDay("08:30"))
        #expect(c.schedules[0].timesOfDay.count == 20)
        #expect(c.schedules[1].timing == .daily([TimeOfDay("12:00")!]))
    }

    @Test("Errors name the file, the line and the key")
    func errors() {
        let unknown = error("[horn]\nwarmupMs = 100\nwarmpMs = 3\n")
        #expect(unknown?.line == 3 && unknown?.key == "horn.warmpMs")
        #expect(unknown?.description.contains("/etc/checkpoint/checkpoint.toml:3") == true)
        let badEvent = error("[horn]\n[horn.events]\nfever = \"nosuch\"\n")
        #expect(badEvent?.key == "horn.events.fever" && badEvent?.line == 3)
        let badReason = error("[horn.events]\nfevr = \"fever\"\n")
        #expect(badReason?.key == "horn.events.fevr")
        #expect(badReason?.message.contains("fever") == true)
        let badTime = error("[[horn.schedule]]\nannouncement = \"reminder\"\nevery = 30\nfrom = \"8:70\"\nuntil = \"18:00\"\n")
        #expect(badTime?.key == "horn.schedule[0].from" && badTime?.line == 4)
        let badZone = error("[horn]\ntimeZone = \"Mars/Olympus\"\n")
        #expect(badZone?.key == "horn.timeZone" && badZone?.line == 2)
        let tooLoud = error("[horn.volume]\nalarm = 1.5\n")
        #expect(tooLoud?.key == "horn.volume.alarm")
        let empty = error("[horn.announcements.x]\nvoice = \"cmn\"\n")
        #expect(empty?.key == "horn.announcements.x")
        let weekday = error("[[horn.schedule]]\nannouncement = \"reminder\"\nat = [\"08:30\"]\nweekdays = [\"mon\", \"funday\"]\n")
        #expect(weekday?.key == "horn.schedule[0].weekdays[1]" && weekday?.line == 4)
    }
}
