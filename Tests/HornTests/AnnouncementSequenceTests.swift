import CheckpointConfig
import CheckpointCore
import DeviceIO
import Foundation
import HornConfig
import TestSupport
import Testing
@testable import Horn

/// Announcements in two languages: a sequence of parts that the horn plays as one item.
@Suite("Announcement sequences")
final class AnnouncementSequenceTests {
    let dir: URL

    init() throws { dir = try TestEnvironment.temporaryDirectory("horn-sequence") }
    deinit { try? FileManager.default.removeItem(at: dir) }

    func parse(_ text: String) throws -> HornConfiguration {
        try HornConfiguration.parse(ConfigDocument(text: text, file: "/etc/checkpoint/checkpoint.toml").root)
    }

    func error(_ text: String) -> ConfigError? {
        do { _ = try parse(text); return nil } catch let e as ConfigError { return e } catch { return nil }
    }

    static let twoLanguages = """
        [horn.announcements.feverEnglish]
        text = "Your temperature is too high. Please wait."
        voice = "en"
        [horn.announcements.feverBoth]
        sequence = ["fever", "feverEnglish"]
        pauseMs = 250
        [horn.events]
        fever = "feverBoth"
        """

    @Test("A sequence holds its members' parts in order with its pause, and inherits the fever warning's alarm priority")
    func sequenceParsed() throws {
        let c = try parse(Self.twoLanguages)
        let fever = try #require(c.catalog.announcement(for: .fever, decision: .refuse))
        #expect(fever.id == "feverBoth")
        #expect(fever.parts == [AnnouncementPart(text: "体温异常,请留步", voice: "cmn"),
                                AnnouncementPart(text: "Your temperature is too high. Please wait.", voice: "en")])
        #expect(fever.pause == .milliseconds(250))
        #expect(fever.priority == .alarm)
        let own = try parse("[horn.announcements.both]\nsequence = [\"pass\", \"fever\"]\npriority = \"feedback\"\n")
        #expect(own.catalog.announcement("both")?.priority == .feedback)
        #expect(own.catalog.announcement("both")?.pause == Announcement.defaultPause)
    }

    @Test("A sequence naming an unknown or nested member, an empty list, or its own text is refused with key and line")
    func badSequences() {
        let unknown = error("[horn.announcements.both]\nsequence = [\"pass\", \"nosuch\"]\n")
        #expect(unknown?.key == "horn.announcements.both.sequence[1]" && unknown?.line == 2)
        let nested = error("[horn.announcements.a]\nsequence = [\"pass\"]\n[horn.announcements.b]\nsequence = [\"a\", \"fever\"]\n")
        #expect(nested?.key == "horn.announcements.b.sequence[0]" && nested?.message.contains("do not nest") == true)
        let itself = error("[horn.announcements.fever]\nsequence = [\"fever\"]\n")
        #expect(itself?.key == "horn.announcements.fever.sequence[0]")
        let empty = error("[horn.announcements.both]\nsequence = []\n")
        #expect(empty?.key == "horn.announcements.both.sequence")
        let withText = error("[horn.announcements.both]\nsequence = [\"pass\"]\ntext = \"x\"\n")
        #expect(withText?.key == "horn.announcements.both.text" && withText?.line == 3)
        let pauseAlone = error("[horn.announcements.x]\ntext = \"x\"\npauseMs = 100\n")
        #expect(pauseAlone?.key == "horn.announcements.x.pauseMs")
    }

    @Test("Joined audio takes the highest rate and most channels, converts the others and puts the pause between parts")
    func joinedAudio() {
        let ramp = PCMAudio(channels: 1, sampleRate: 8000, samples: [0, 800, 1600, 2400])
        let stereo = PCMAudio(channels: 2, sampleRate: 16000, samples: [5, -5, 7, -7])
        let joined = PCMAudio.sequence([ramp, stereo], pause: .milliseconds(1))
        #expect(joined.sampleRate == 16000 && joined.channels == 2)
        // 4 frames at 8 kHz → 8 frames at 16 kHz (midpoints interpolated), copied to both channels;
        // 1 ms of silence = 16 frames; then the stereo part unchanged.
        let converted: [Int16] = [0, 400, 800, 1200, 1600, 2000, 2400, 2400].flatMap { [$0, $0] }
        #expect(Array(joined.samples.prefix(16)) == converted)
        #expect(Array(joined.samples[16..<48]) == [Int16](repeating: 0, count: 32))
        #expect(Array(joined.samples.suffix(4)) == [5, -5, 7, -7])
        #expect(joined.samples.count == 16 + 32 + 4)
    }

    @Test("Mandarin speech, the pause and an 8 kHz dialect clip play through ALSA as one file of their summed length")
    func speechThenClipThroughALSA() async throws {
        let clip = dir.appendingPathComponent("dialect.wav").path
        _ = try runTool("/usr/bin/sox", ["-n", "-r", "8000", "-c", "1", "-b", "16", clip, "synth", "1.0", "sine", "300", "vol", "0.8"])
        let c = try parse("""
            [horn.announcements.passDialect]
            clip = "\(clip)"
            [horn.announcements.passBoth]
            sequence = ["pass", "passDialect"]
            pauseMs = 400
            """)
        let speech = SpeechSynthesizer(cacheDirectory: dir.appendingPathComponent("cache").path)
        let spoken = Double(try runTool("/usr/bin/soxi", ["-D", try speech.render(text: "体温正常,请通行", voice: "cmn")])) ?? 0
        let library = AnnouncementLibrary(catalog: c.catalog, speech: speech)
        let sink = dir.appendingPathComponent("out.wav").path
        let player = AlsaPlayer(device: "tofile", configuration: fileSinkConfiguration(sink)) { try library.audio($0.announcementID) }
        let done = Flag()
        try player.start(QueuedAnnouncement(announcementID: "passBoth", priority: .feedback, enqueuedAt: .zero), volume: 1) { done.set() }
        #expect(await waitFor { done.isSet })
        let played = Double(try runTool("/usr/bin/soxi", ["-D", sink])) ?? 0
        #expect(abs(played - (spoken + 0.4 + 1.0)) < 0.12, "speech \(spoken) s + 0.4 s + 1.0 s, played \(played) s")
        // The pause is silent and the clip is the file's last second, at its own loudness.
        let pause = dir.appendingPathComponent("pause.wav").path, tail = dir.appendingPathComponent("tail.wav").path
        _ = try runTool("/usr/bin/sox", [sink, pause, "trim", String(spoken + 0.05), "0.3"])
        _ = try runTool("/usr/bin/sox", [sink, tail, "trim", String(played - 0.9), "0.8"])
        #expect(try maximumAmplitude(pause) < 0.01)
        #expect(abs(try maximumAmplitude(tail) - 0.8) < 0.05)
    }

    @Test("In quiet hours a two-language fever warning plays once, as one alarm item, while feedback is held back")
    func oneAlarmItem() async throws {
        var configuration = try parse("[horn]\nfeedbackStartWithinMs = 600000\naudioWaitMs = 600000\n[horn.quietHours]\nfrom = \"00:00\"\nuntil = \"23:59\"\n"
                                      + Self.twoLanguages)
        configuration.timing = AmplifierTiming(warmup: .milliseconds(5), tail: .milliseconds(5), relayLead: .milliseconds(0))
        configuration.speechCache = dir.appendingPathComponent("cache").path
        let output = QuickOutput()
        let service = HornService(configuration: configuration, amplifier: SimulatedOutputLine(name: "amp", now: MonotonicClock.now),
                                  relay: nil, output: output)
        #expect(service.announce(reason: .admitted, decision: .admit) == .rejectedQuietHours)
        let queued = service.announce(reason: .fever, decision: .refuse)
        #expect(queued.map { if case .queued = $0 { true } else { false } } == true, "\(String(describing: queued))")
        await service.run(untilIdle: true)
        #expect(output.played.withLock { $0 } == ["feverBoth"])
        #expect(service.snapshot.fallbackTones == 0)
    }
}
