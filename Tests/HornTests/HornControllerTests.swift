import CheckpointCore
import DeviceIO
import Testing
@testable import Horn

@Suite("Horn controller with simulated GPIO lines on a virtual clock")
struct HornControllerTests {
    struct Rig {
        let clock = VirtualClock()
        let amp: SimulatedOutputLine
        let relay: SimulatedOutputLine
        let output: RecordingOutput
        let controller: HornController

        /// The audio readiness the controller sees, by id (absent: ready); the test changes it.
        let audio = Mutex<[String: AudioReadiness]>([:])

        init(timing: AmplifierTiming = AmplifierTiming(warmup: .ms(150), tail: .ms(2000), relayLead: .ms(50)), withRelay: Bool = true,
             audioWait: Duration = .seconds(2)) {
            amp = SimulatedOutputLine(name: "amp", now: clock.reader)
            relay = SimulatedOutputLine(name: "relay", now: clock.reader)
            output = RecordingOutput(clock: clock)
            let audio = self.audio
            controller = HornController(settings: .init(timing: timing, audioWait: audioWait), amplifier: amp,
                                        relay: withRelay ? relay : nil, output: output,
                                        readiness: { id in audio.withLock { $0[id] } ?? .ready })
        }

        /// A rig without relay (warm-up 100 ms, tail 500 ms) at time zero whose audio for `audio`'s
        /// ids is as given.
        static func withAudio(_ audio: [String: AudioReadiness], audioWait: Duration = .seconds(2)) -> Rig {
            let rig = Rig(timing: AmplifierTiming(warmup: .ms(100), tail: .ms(500), relayLead: .zero), withRelay: false, audioWait: audioWait)
            rig.audio.withLock { $0 = audio }
            rig.clock.set(.zero)
            return rig
        }

        /// Requests `id` at time zero and runs the deadlines until `ms` (its audio still rendering).
        func requestAtZero(_ id: String, _ priority: AnnouncementPriority, runUntil ms: Int) {
            controller.enqueue(id, priority: priority, now: .zero)
            runDeadlines(until: ms)
        }

        /// The renderer finished `id`.
        func rendered(_ id: String) { audio.withLock { $0[id] = .ready } }

        /// Moves the clock to `t` and processes what is due.
        func at(_ ms: Int) {
            clock.set(.ms(ms))
            controller.advance(now: .ms(ms))
        }

        func finishPlaying(at ms: Int) {
            clock.set(.ms(ms))
            guard case .playing(let item) = controller.snapshot.state else { Issue.record("nothing playing at \(ms) ms"); return }
            controller.playbackFinished(serial: item.serial, now: .ms(ms))
        }

        /// Runs the controller's own deadlines until `ms`.
        func runDeadlines(until ms: Int) {
            while let d = controller.nextDeadline, d <= .ms(ms) {
                clock.set(d)
                controller.advance(now: d)
            }
            clock.set(.ms(ms))
        }
    }

    @Test("The relay closes, then the amplifier, and the first sample comes only after the warm-up (simulated lines)")
    func powerUpOrder() {
        let rig = Rig()
        rig.clock.set(.ms(1000))
        rig.controller.enqueue("pass", priority: .feedback, now: .ms(1000))
        rig.runDeadlines(until: 1300)
        #expect(rig.relay.edges == [LineEdge(at: .ms(1000), level: .active)])
        #expect(rig.amp.edges == [LineEdge(at: .ms(1050), level: .active)])
        #expect(rig.output.events == [.start("pass", at: .ms(1200), volume: 1)])
        guard let ampOn = rig.amp.edges.first?.at, case .start(_, let firstSample, _) = rig.output.events.first else { return }
        #expect(firstSample - ampOn >= .ms(150))
    }

    @Test("Back-to-back items share one power-up; the amplifier goes off a tail after the last, before the relay (simulated lines)")
    func backToBackAndTail() {
        let rig = Rig()
        rig.clock.set(.zero)
        rig.controller.enqueue("pass", priority: .feedback, now: .zero)
        rig.controller.enqueue("reminder", priority: .scheduled, now: .zero)
        rig.runDeadlines(until: 200)
        rig.finishPlaying(at: 3000)
        #expect(rig.output.startedIDs == ["pass", "reminder"])
        rig.finishPlaying(at: 9000)
        // A new item during the tail starts at once, with no second warm-up.
        rig.clock.set(.ms(10_000))
        rig.controller.enqueue("pass", priority: .feedback, now: .ms(10_000))
        #expect(rig.output.events.last == .start("pass", at: .ms(10_000), volume: 1))
        rig.finishPlaying(at: 12_000)
        rig.runDeadlines(until: 20_000)
        #expect(rig.amp.edges == [LineEdge(at: .ms(50), level: .active), LineEdge(at: .ms(14_000), level: .inactive)])
        #expect(rig.relay.edges == [LineEdge(at: .zero, level: .active), LineEdge(at: .ms(14_000), level: .inactive)])
        #expect(rig.controller.snapshot.state == .idle)
    }

    @Test("An alarm stops the item playing at once and starts without waiting (simulated lines)")
    func alarmPreempts() {
        let rig = Rig(withRelay: false)
        rig.clock.set(.zero)
        rig.controller.enqueue("reminder", priority: .scheduled, now: .zero)
        rig.runDeadlines(until: 500)
        rig.clock.set(.ms(4321))
        rig.controller.enqueue("fever", priority: .alarm, now: .ms(4321))
        #expect(rig.output.events == [.start("reminder", at: .ms(150), volume: 1), .stop(at: .ms(4321)), .start("fever", at: .ms(4321), volume: 1)])
        #expect(rig.controller.snapshot.counters.preempted == 1)
        // A second alarm does not cut the first; it waits.
        rig.controller.enqueue("watch", priority: .alarm, now: .ms(4400))
        #expect(rig.output.startedIDs == ["reminder", "fever"])
        rig.finishPlaying(at: 6000)
        #expect(rig.output.startedIDs == ["reminder", "fever", "watch"])
    }

    @Test("Gate feedback that cannot start within the limit is dropped, and a stale completion is ignored (simulated lines)")
    func feedbackExpires() {
        let rig = Rig(withRelay: false)
        rig.clock.set(.zero)
        rig.controller.enqueue("fever", priority: .alarm, now: .zero)
        rig.runDeadlines(until: 200)
        rig.controller.enqueue("pass", priority: .feedback, now: .ms(200))     // must start by 3200
        rig.controller.enqueue("refused", priority: .feedback, now: .ms(1500)) // must start by 4500
        guard case .playing(let alarm) = rig.controller.snapshot.state else { Issue.record("alarm not playing"); return }
        rig.clock.set(.ms(4000))
        rig.controller.playbackFinished(serial: alarm.serial, now: .ms(4000))
        rig.controller.playbackFinished(serial: alarm.serial, now: .ms(4001)) // stale: ignored
        #expect(rig.output.startedIDs == ["fever", "refused"])
        #expect(rig.controller.snapshot.counters.expired == 1)
    }

    @Test("Stop clears the queue, stops playback and powers down after the tail (simulated lines)")
    func stopCommand() {
        let rig = Rig(timing: AmplifierTiming(warmup: .ms(100), tail: .ms(500), relayLead: .zero), withRelay: false)
        rig.clock.set(.zero)
        rig.controller.enqueue("a", priority: .scheduled, now: .zero)
        rig.controller.enqueue("b", priority: .scheduled, now: .zero)
        rig.runDeadlines(until: 1000)
        rig.clock.set(.ms(1000))
        #expect(rig.controller.stop(now: .ms(1000)) == 1)
        rig.runDeadlines(until: 3000)
        #expect(rig.output.events == [.start("a", at: .ms(100), volume: 1), .stop(at: .ms(1000))])
        #expect(rig.amp.edges == [LineEdge(at: .zero, level: .active), LineEdge(at: .ms(1500), level: .inactive)])
    }

    @Test("Testing the amplifier holds the relay and amplifier on for the given time (simulated lines)")
    func amplifierTest() {
        let rig = Rig()
        rig.clock.set(.ms(100))
        #expect(rig.controller.testAmplifier(now: .ms(100), duration: .ms(1000)))
        #expect(!rig.controller.testAmplifier(now: .ms(200), duration: .ms(1000)))
        rig.runDeadlines(until: 5000)
        #expect(rig.relay.edges.map(\.at) == [.ms(100), .ms(1100)])
        #expect(rig.amp.edges.map(\.at) == [.ms(100), .ms(1100)])
        #expect(rig.output.events.isEmpty)
    }

    @Test("A line that fails to drive is counted and playback still proceeds (simulated lines)")
    func lineFailure() {
        let rig = Rig(withRelay: false)
        rig.amp.failNextDrive()
        rig.clock.set(.zero)
        rig.controller.enqueue("pass", priority: .feedback, now: .zero)
        rig.runDeadlines(until: 500)
        #expect(rig.output.startedIDs == ["pass"])
        #expect(rig.controller.snapshot.failures == 1)
    }

    @Test("An item whose audio is still rendering starts the moment it is ready, counted as late (simulated lines)")
    func waitsForAudio() {
        let rig = Rig.withAudio(["say:请排队": .rendering])
        rig.requestAtZero("say:请排队", .feedback, runUntil: 1500)
        #expect(rig.output.events.isEmpty)
        #expect(rig.controller.snapshot.audioLate == 1)
        guard case .awaitingAudio(let item, let until) = rig.controller.snapshot.state else {
            Issue.record("not waiting for audio: \(rig.controller.snapshot.state)"); return
        }
        #expect(item.announcementID == "say:请排队")
        #expect(until == .ms(2100))
        rig.rendered("say:请排队")
        rig.at(1500)
        #expect(rig.output.events == [.start("say:请排队", at: .ms(1500), volume: 1)])
        #expect(rig.controller.snapshot.fallbackTones == 0)
        #expect(rig.amp.edges == [LineEdge(at: .zero, level: .active)])
    }

    @Test("Audio not ready within the wait, or not renderable, is replaced by the fallback tone, counted (simulated lines)")
    func fallbackTone() {
        let rig = Rig.withAudio(["slow": .rendering, "broken": .failed("espeak-ng: no voice xx")], audioWait: .ms(800))
        rig.controller.enqueue("slow", priority: .feedback, now: .zero)
        rig.controller.enqueue("broken", priority: .feedback, now: .zero)
        rig.runDeadlines(until: 899)
        #expect(rig.output.events.isEmpty)
        rig.runDeadlines(until: 900)
        #expect(rig.output.tones == ["slow"])
        rig.finishPlaying(at: 1000)
        #expect(rig.output.startedIDs == ["slow", "broken"])
        #expect(rig.output.tones == ["slow", "broken"])
        #expect(rig.controller.snapshot.fallbackTones == 2)
        #expect(rig.controller.snapshot.audioLate == 1)
        #expect(rig.controller.snapshot.counters.expired == 0)
    }

    @Test("A more urgent request goes before an item waiting for its audio, which then plays when ready (simulated lines)")
    func urgentRequestOvertakesWaitingItem() {
        let rig = Rig.withAudio(["reminder": .rendering])
        rig.requestAtZero("reminder", .scheduled, runUntil: 300)
        rig.controller.enqueue("pass", priority: .feedback, now: .ms(300))
        #expect(rig.output.events == [.start("pass", at: .ms(300), volume: 1)])
        #expect(rig.controller.snapshot.pending.map(\.announcementID) == ["reminder"])
        rig.rendered("reminder")
        rig.finishPlaying(at: 1200)
        #expect(rig.output.startedIDs == ["pass", "reminder"])
        #expect(rig.output.tones.isEmpty)
        #expect(rig.controller.snapshot.counters.preempted == 0)
    }

    @Test("Stop removes an item waiting for its audio and powers down after the tail (simulated lines)")
    func stopWhileWaitingForAudio() {
        let rig = Rig.withAudio(["say:x": .rendering])
        rig.requestAtZero("say:x", .feedback, runUntil: 200)
        #expect(rig.controller.stop(now: .ms(200)) == 1)
        rig.rendered("say:x")
        rig.runDeadlines(until: 3000)
        #expect(rig.output.events.isEmpty)
        #expect(rig.amp.edges == [LineEdge(at: .zero, level: .active), LineEdge(at: .ms(700), level: .inactive)])
        #expect(rig.controller.snapshot.counters.cleared == 1)
    }
}
