import CheckpointConfig
import CheckpointCore
import Control
import DeviceIO
import HornConfig
import Foundation
import TestSupport
import Testing
@testable import Horn

/// A stand-in output that "plays" each item for a few milliseconds of real time on another thread.
final class QuickOutput: AnnouncementOutput, Sendable {
    /// The ids played, in order; `tone:ID` for the fallback tone played in place of ID.
    let played = Mutex<[String]>([])
    func start(_ item: QueuedAnnouncement, volume: Double, finished: @escaping @Sendable () -> Void) throws {
        played.withLock { $0.append(item.fallbackTone ? "tone:\(item.announcementID)" : item.announcementID) }
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(5)) { finished() }
    }
    func stop() {}
}

@Suite("Horn service and its control commands")
final class HornServiceTests {
    /// Each test's own speech cache, removed when the suite instance ends.
    let cache: URL

    init() throws { cache = try TestEnvironment.temporaryDirectory("horn-service") }
    deinit { try? FileManager.default.removeItem(at: cache) }

    func makeService(_ output: any AnnouncementOutput, amp: SimulatedOutputLine, relay: SimulatedOutputLine? = nil, toml: String = "") throws -> HornService {
        var configuration = try HornConfiguration.parse(ConfigDocument(text: toml, file: "test.toml").root)
        configuration.timing = AmplifierTiming(warmup: .milliseconds(20), tail: .milliseconds(20), relayLead: .milliseconds(5))
        configuration.speechCache = cache.path
        return HornService(configuration: configuration, amplifier: amp, relay: relay, output: output)
    }

    /// No start limit and no audio deadline: a test of sequencing must not depend on how fast
    /// espeak-ng renders on a loaded machine.
    static let unhurried = "[horn]\nfeedbackStartWithinMs = 600000\naudioWaitMs = 600000\n"

    @Test("Speech is rendered off the play path, then relay, amplifier and audio are sequenced on the real clock (simulated lines)")
    func runUntilIdle() async throws {
        let amp = SimulatedOutputLine(name: "amp", now: MonotonicClock.now)
        let relay = SimulatedOutputLine(name: "relay", now: MonotonicClock.now)
        let output = QuickOutput()
        let service = try makeService(output, amp: amp, relay: relay, toml: Self.unhurried)
        try service.play("pass")
        try service.play("say:请排队")
        await service.run(untilIdle: true)
        #expect(output.played.withLock { $0 } == ["pass", "say:请排队"])
        #expect(service.library.readiness(of: "pass") == .ready)
        #expect(service.library.readiness(of: "say:请排队") == .ready)
        #expect(service.snapshot.fallbackTones == 0)
        #expect(amp.edges.map(\.level) == [.active, .inactive])
        #expect(relay.edges.map(\.level) == [.active, .inactive])
        guard amp.edges.count == 2, relay.edges.count == 2 else { return }
        #expect(relay.edges[0].at <= amp.edges[0].at)
        #expect(amp.edges[1].at - amp.edges[0].at >= .milliseconds(40))   // warm-up + tail at least
        #expect(amp.edges[1].at <= relay.edges[1].at)
    }

    @Test("The running service plays a broadcast when its time comes and leaves the lines inactive when cancelled (simulated lines)")
    func runsSchedule() async throws {
        let amp = SimulatedOutputLine(name: "amp", now: MonotonicClock.now)
        let output = QuickOutput()
        var configuration = try HornConfiguration.parse(ConfigDocument(text: """
            [horn]
            timeZone = "Asia/Shanghai"
            warmupMs = 10
            tailMs = 10
            audioWaitMs = 600000
            [[horn.schedule]]
            announcement = "reminder"
            at = ["08:30"]
            """, file: "test.toml").root)
        configuration.speechCache = cache.path
        // Wall clock: 08:29:59.9 in Shanghai plus the real time elapsed since the test began.
        let origin = MonotonicClock.now()
        let startWall = ScheduleTests.local("2026-02-10 08:29:59", "Asia/Shanghai").addingTimeInterval(0.9)
        let service = HornService(configuration: configuration, amplifier: amp, relay: nil, output: output,
                                  library: AnnouncementLibrary(catalog: configuration.catalog, speech: SpeechSynthesizer(cacheDirectory: configuration.speechCache)),
                                  wallNow: {
                                      let elapsed = (MonotonicClock.now() - origin).components
                                      return startWall.addingTimeInterval(Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18)
                                  })
        let task = Task { await service.run() }
        #expect(await waitFor(60) { output.played.withLock { $0 } == ["reminder"] })
        task.cancel()
        await task.value
        #expect(amp.level == .inactive)
        #expect(amp.edges.first?.level == .active)
    }

    @Test("Control commands play, list, stop and test the amplifier through the router (simulated lines)")
    func controlCommands() async throws {
        let amp = SimulatedOutputLine(name: "amp", now: MonotonicClock.now)
        let service = try makeService(RecordingOutput(clock: VirtualClock()), amp: amp, toml: "[horn.quietHours]\nfrom = \"00:00\"\nuntil = \"23:59\"\n")
        let router = ControlRouter()
        HornControlHandlers.register(service, on: router)
        #expect(router.commands == ["horn.play", "horn.queue", "horn.stop", "horn.testAmplifier"])
        let quiet = await router.handle(ControlRequest(command: "horn.play", arguments: ["announcement": "pass"]))
        #expect(!quiet.ok && quiet.error?.contains("quiet hours") == true)
        let alarm = await router.handle(ControlRequest(command: "horn.play", arguments: ["announcement": "fever"]))
        #expect(alarm.ok, "\(alarm)")
        let unknown = await router.handle(ControlRequest(command: "horn.play", arguments: ["announcement": "nosuch"]))
        #expect(!unknown.ok && unknown.error?.contains("nosuch") == true)
        let badPriority = await router.handle(ControlRequest(command: "horn.play", arguments: ["text": "x", "priority": "loud"]))
        #expect(!badPriority.ok)
        let queue = await router.handle(ControlRequest(command: "horn.queue"))
        #expect(queue.output.contains("amplifier warming up"))
        #expect(queue.output.contains("pending: fever (alarm)"))
        #expect(queue.output.contains("quiet 1"))
        let snapshot = try JSONDecoder().decode(HornSnapshot.self, from: Data((queue.json ?? "").utf8))
        #expect(snapshot.pending.map(\.announcementID) == ["fever"])
        let busy = await router.handle(ControlRequest(command: "horn.testAmplifier", arguments: ["durationMs": "100"]))
        #expect(!busy.ok)
        let stop = await router.handle(ControlRequest(command: "horn.stop"))
        #expect(stop.ok && stop.output.contains("1 pending removed"))
        #expect(amp.level == .inactive)
        let test = await router.handle(ControlRequest(command: "horn.testAmplifier", arguments: ["durationMs": "100"]))
        #expect(test.ok, "\(test)")
        #expect(amp.level == .active)
        let bad = await router.handle(ControlRequest(command: "horn.testAmplifier", arguments: ["durationMs": "-5"]))
        #expect(!bad.ok)
    }

    @Test("A gate decision is announced through the catalog, by reason first and decision second (simulated lines)")
    func gateEvents() throws {
        let amp = SimulatedOutputLine(name: "amp", now: MonotonicClock.now)
        let service = try makeService(RecordingOutput(clock: VirtualClock()), amp: amp,
                                      toml: "[horn.decisions]\nrefer = \"\"\n[horn.events]\nwatchListed = \"\"\n")
        #expect(service.announce(reason: .fever, decision: .refuse) != nil)
        #expect(service.announce(reason: .codeDenied, decision: .refuse) != nil)
        #expect(service.announce(reason: .watchListed, decision: .refer) == nil)
        #expect(service.snapshot.pending.map(\.announcementID) == ["fever", "refused"])
        #expect(service.snapshot.pending.first?.priority == .alarm)
    }

    @Test("Speech still rendering at its turn plays the moment it is rendered, the wait counted (simulated lines, held synthesizer)")
    func playsWhenRendered() async throws {
        // The synthesizer waits until the test opens a FIFO, so the item's turn surely comes first.
        let fifo = cache.appendingPathComponent("gate.fifo").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let script = cache.appendingPathComponent("held-espeak.sh").path
        try "#!/bin/sh\ncat '\(fifo)' > /dev/null\nexec espeak-ng \"$@\"\n".write(toFile: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script)
        let amp = SimulatedOutputLine(name: "amp", now: MonotonicClock.now)
        let output = QuickOutput()
        // The hold is the test's, not a slow synthesizer: the synthesizer's own 10 s bound (which
        // kills it, and the fallback tone plays) must not end it while a loaded machine brings the turn.
        let service = try makeService(output, amp: amp, toml: Self.unhurried + "speechCommand = \"\(script)\"\nspeechTimeoutMs = 600000\n")
        try service.play("say:请排队")
        let run = Task { await service.run(untilIdle: true) }
        #expect(await waitUntil(within: .seconds(60)) {
            if case .awaitingAudio(let item, _) = service.snapshot.state { return item.announcementID == "say:请排队" }
            return false
        })
        #expect(service.snapshot.audioLate == 1)
        #expect(output.played.withLock { $0 }.isEmpty)
        #expect(service.library.readiness(of: "say:请排队") == .rendering)
        FileHandle(forWritingAtPath: fifo)?.closeFile()   // lets the synthesizer go on
        await run.value
        #expect(output.played.withLock { $0 } == ["say:请排队"])
        #expect(service.snapshot.fallbackTones == 0)
        #expect(amp.edges.map(\.level) == [.active, .inactive])
    }

    @Test("An announcement whose speech cannot be rendered plays the fallback tone, counted (simulated lines)")
    func fallbackToneWhenSpeechFails() async throws {
        let amp = SimulatedOutputLine(name: "amp", now: MonotonicClock.now)
        let output = QuickOutput()
        let service = try makeService(output, amp: amp, toml: Self.unhurried + "speechCommand = \"/bin/false\"\n")
        try service.play("pass")
        await service.run(untilIdle: true)
        #expect(output.played.withLock { $0 } == ["tone:pass"])
        #expect(service.snapshot.fallbackTones == 1)
        guard case .failed(let why) = service.library.readiness(of: "pass") else { Issue.record("pass did not fail"); return }
        #expect(why.contains("/bin/false"), "\(why)")
        let tone = service.library.playableAudio(QueuedAnnouncement(announcementID: "pass", priority: .feedback, enqueuedAt: .zero))
        #expect(tone == .fallbackTone)
        #expect(tone.duration > 0.3 && tone.duration < 0.5)
        #expect(tone.samples.map { abs(Int($0)) }.max() ?? 0 > 10_000)
    }

    @Test("Starting the horn renders every announcement it can play into the speech cache, the rescan prompt among them")
    func preparesEverything() async throws {
        let amp = SimulatedOutputLine(name: "amp", now: MonotonicClock.now)
        let service = try makeService(QuickOutput(), amp: amp, toml: """
            [horn.announcements.distance]
            text = "请保持一米距离"
            [[horn.schedule]]
            announcement = "distance"
            at = ["09:00"]
            """)
        let catalog = service.library.catalog
        #expect(catalog.announcement(catalog.rescan ?? "")?.text == "请重新扫码")
        let ids = catalog.announcements.keys.sorted()
        #expect(ids.contains("distance") && ids.contains("rescan") && ids.contains("reminder"))
        let running = Task { await service.run() }
        #expect(await waitUntil(within: .seconds(120)) { ids.allSatisfy { service.library.readiness(of: $0) == .ready } })
        running.cancel()
        await running.value
        let speech = SpeechSynthesizer(cacheDirectory: cache.path)
        for a in catalog.announcements.values {
            for part in a.parts {
                guard let text = part.text else { continue }
                #expect(FileManager.default.fileExists(atPath: speech.cachePath(voice: part.voice, text: text)), "\(a.id) not in the cache")
            }
        }
        #expect(service.prepareAnnouncements() == 0)   // a reload finds nothing left to render
    }

    @Test("The rescan prompt plays at most once per interval, the suppressed requests counted (simulated lines, virtual clock)")
    func rescanThrottle() throws {
        let clock = VirtualClock()
        let amp = SimulatedOutputLine(name: "amp", now: clock.reader)
        var configuration = try HornConfiguration.parse(ConfigDocument(text: "[horn]\nrescanMinIntervalMs = 3000\n", file: "test.toml").root)
        configuration.speechCache = cache.path
        let service = HornService(configuration: configuration, amplifier: amp, relay: nil, output: RecordingOutput(clock: clock),
                                  monotonicNow: clock.reader)
        var admitted: [Int] = []
        for ms in [0, 400, 1000, 2999, 3000, 3100, 7000] {
            clock.set(.milliseconds(ms))
            if service.announceRescan() != nil { admitted.append(ms) }
        }
        #expect(admitted == [0, 3000, 7000])
        #expect(service.snapshot.rescanRequested == 7)
        #expect(service.snapshot.rescanSuppressed == 4)
        #expect(service.snapshot.pending.map(\.announcementID) == ["rescan"])   // the later ones coalesced with it

        var silent = configuration
        silent.catalog.rescan = ""
        let quiet = HornService(configuration: silent, amplifier: amp, relay: nil, output: RecordingOutput(clock: clock), monotonicNow: clock.reader)
        #expect(quiet.announceRescan() == nil)
        #expect(quiet.snapshot.pending.isEmpty)
    }
}
