import CheckpointCore
import Foundation
import TestSupport
import DeviceIO
import Testing
@testable import Horn
#if canImport(Glibc)
import Glibc
#endif

/// A sink whose pace the test controls: ALSA's file plugin writes into a FIFO that a reader thread
/// drains at real-time speed, so the player's writes block as they would on a sound card.
final class PacedFIFOReader: Sendable {
    let path: String
    private let bytesPerTick: Int
    private let fast = Mutex(false)
    private let finished = DispatchSemaphore(value: 0)
    let received = Mutex(0)
    /// CLOCK_MONOTONIC of the first and the latest byte read.
    let firstByteAt = Mutex<Duration?>(nil)
    let lastByteAt = Mutex<Duration?>(nil)

    init(path: String, bytesPerSecond: Int) throws {
        guard mkfifo(path, 0o600) == 0 else { throw ToolFailure(description: "mkfifo \(path): \(String(cString: strerror(errno)))") }
        self.path = path
        self.bytesPerTick = bytesPerSecond / 100
        let thread = Thread { [self] in self.drain() }
        thread.start()
    }

    /// Stop pacing: read everything at once until the writer closes.
    func unpace() { fast.withLock { $0 = true } }
    func waitUntilClosed() -> Bool { finished.wait(timeout: .now() + 10) == .success }

    private func drain() {
        let fd = open(path, O_RDONLY)
        defer { if fd >= 0 { close(fd) }; finished.signal() }
        guard fd >= 0 else { return }
        _ = fcntl(fd, 1031, 4096)   // F_SETPIPE_SZ (needs _GNU_SOURCE in C): little buffering before the "speaker"
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let paced = !fast.withLock { $0 }
            let n = read(fd, &buffer, paced ? bytesPerTick : buffer.count)
            if n <= 0 { return }
            received.withLock { $0 += n }
            let now = MonotonicClock.now()
            firstByteAt.withLock { if $0 == nil { $0 = now } }
            lastByteAt.withLock { $0 = now }
            if paced { usleep(10_000) }
        }
    }
}

@Suite("Playback on a real-time paced sink")
struct PacedSinkTests {
    @Test("Stop interrupts a write blocked by a real-time paced sink and the item reports finished (the stop latency is printed)")
    func stopWhileBlocked() async throws {
        let dir = try TestEnvironment.temporaryDirectory("horn-paced")
        defer { try? FileManager.default.removeItem(at: dir) }
        let fifo = dir.appendingPathComponent("sink.fifo").path
        let reader = try PacedFIFOReader(path: fifo, bytesPerSecond: 48000 * 4)
        let clip = PCMAudio(channels: 2, sampleRate: 48000, samples: [Int16](repeating: 500, count: 48000 * 2 * 30))
        let player = AlsaPlayer(device: "tofile",
                                configuration: "pcm.tofile { type file; slave.pcm { type null }; file \"\(fifo)\"; format \"raw\" }\n") { _ in clip }
        let finishedAt = Mutex<Duration?>(nil)
        let clock = ContinuousClock()
        let origin = clock.now
        try player.start(QueuedAnnouncement(announcementID: "long", priority: .scheduled, enqueuedAt: .zero), volume: 1) {
            finishedAt.withLock { $0 = clock.now - origin }
        }
        // Let it play (paced) for a while, so the writer is blocked on the sink.
        #expect(await waitFor(10) { reader.received.withLock { $0 } > 48000 * 4 / 2 })
        let stopAt = clock.now - origin
        player.stop()
        // The sink keeps its real-time pace, as a sound card would, until the item reports finished.
        #expect(await waitFor(10) { finishedAt.withLock { $0 } != nil })
        reader.unpace()
        #expect(reader.waitUntilClosed())
        let latency = (finishedAt.withLock { $0 } ?? .zero) - stopAt
        print("horn stop on a paced sink: writer stopped after \(player.lastStopLatency.map { "\($0)" } ?? "?"), finished after \(latency)")
        #expect(player.lastStopLatency != nil)
        // Played far less than the 30 s clip: the stop was not a drain. The sink is paced in real
        // time, so what it received is the time until the finish (at most about 0.5 + 10 s above,
        // longer on a loaded machine) plus the buffers in between; a drain would be all 30 s.
        #expect(reader.received.withLock { $0 } < 48000 * 4 * 20)
    }

    @Test("The first sample reaches a paced sink no sooner than the warm-up after the amplifier line went active (simulated line)")
    func warmupBeforeFirstSample() async throws {
        let dir = try TestEnvironment.temporaryDirectory("horn-warmup")
        defer { try? FileManager.default.removeItem(at: dir) }
        let fifo = dir.appendingPathComponent("sink.fifo").path
        let reader = try PacedFIFOReader(path: fifo, bytesPerSecond: 48000 * 4)
        let clip = PCMAudio(channels: 2, sampleRate: 48000, samples: [Int16](repeating: 700, count: 48000 * 2 / 2))
        var configuration = HornConfiguration()
        configuration.timing = AmplifierTiming(warmup: .milliseconds(150), tail: .milliseconds(100), relayLead: .zero)
        configuration.speechCache = dir.appendingPathComponent("speech").path
        let output = AlsaPlayer(device: "tofile",
                                configuration: "pcm.tofile { type file; slave.pcm { type null }; file \"\(fifo)\"; format \"raw\" }\n") { _ in clip }
        let amp = SimulatedOutputLine(name: "amp", now: MonotonicClock.now)
        let service = HornService(configuration: configuration, amplifier: amp, relay: nil, output: output)
        _ = try service.library.audio("pass")   // rendered before: this test measures the warm-up, not espeak-ng
        try service.play("pass", priority: .alarm)
        await service.run(untilIdle: true)
        reader.unpace()
        #expect(reader.waitUntilClosed())
        #expect(amp.edges.map(\.level) == [.active, .inactive])
        guard let on = amp.edges.first?.at, let off = amp.edges.last?.at,
              let first = reader.firstByteAt.withLock({ $0 }), let last = reader.lastByteAt.withLock({ $0 }) else {
            Issue.record("no edges or no audio"); return
        }
        #expect(first - on >= .milliseconds(150))
        #expect(reader.received.withLock { $0 } == clip.samples.count * 2)
        print("horn on a paced sink: first sample \(first - on) after amplifier on; amplifier off \(off - last) after the last sample")
    }
}
