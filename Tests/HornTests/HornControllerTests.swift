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

        init(timing: AmplifierTiming = AmplifierTiming(warmup: .ms(150), tail: .ms(2000), relayLead: .ms(50)), withRelay: Bool = true) {
            amp = SimulatedOutputLine(name: "amp", now: clock.reader)
            relay = SimulatedOutputLine(name: "relay", now: clock.reader)
            output = RecordingOutput(clock: clock)
            controller = HornController(settings: .init(timing: timing), amplifier: amp, relay: withRelay ? relay : nil, output: output)
        }

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

    @Test("Back-to-back items share one power-up and the amplifier goes off a tail after the last, before the relay (simulated lines)")
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
}
