import CheckpointCore
import CheckpointConfig
import Control
import DeviceIO
import Foundation
import TestSupport
import Testing
@testable import Horn

/// Runs `path` with `environment` added; returns its status and its stdout and stderr together.
func runProcess(_ path: String, _ arguments: [String], environment: [String: String] = [:]) throws -> (Int32, String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: path)
    p.arguments = arguments
    p.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
    let out = Pipe()
    p.standardOutput = out
    p.standardError = out
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: data, as: UTF8.self))
}

func checkpointctl(_ arguments: [String], environment: [String: String] = [:]) throws -> (Int32, String) {
    try runProcess(BuildProducts.executable("checkpointctl"), arguments, environment: environment)
}

/// Runs checkpointctl on a Dispatch thread, so a waiting test does not hold a thread of the
/// concurrency pool that the daemon side (the control router's tasks) needs.
func checkpointctl(_ arguments: [String]) async throws -> (Int32, String) {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async {
            continuation.resume(with: Result { try runProcess(BuildProducts.executable("checkpointctl"), arguments) })
        }
    }
}

@Suite("checkpointctl horn and lines without a daemon")
struct CheckpointctlHornTests {
    @Test("checkpointctl horn play speaks a text directly through ALSA when the daemon is not running")
    func playDirect() throws {
        let dir = try TestEnvironment.temporaryDirectory("horn-ctl")
        defer { try? FileManager.default.removeItem(at: dir) }
        let sink = dir.appendingPathComponent("out.wav").path
        let alsa = dir.appendingPathComponent("asound.conf").path
        try "pcm.tofile { type file; slave.pcm \"null\"; file \"\(sink)\"; format \"wav\" }\n".write(toFile: alsa, atomically: true, encoding: .utf8)
        let config = dir.appendingPathComponent("checkpoint.toml").path
        let cache = dir.appendingPathComponent("cache").path
        try """
        [horn]
        device = "tofile"
        speechCache = "\(cache)"
        warmupMs = 20
        tailMs = 20
        amplifier = { simulated = "amp" }
        """.write(toFile: config, atomically: true, encoding: .utf8)
        let env = ["ALSA_CONFIG_PATH": "/usr/share/alsa/alsa.conf:\(alsa)"]
        let socket = dir.appendingPathComponent("none.sock").path
        let (status, output) = try checkpointctl(["horn", "play", "--text", "体温异常,请留步", "--socket", socket, "--config", config], environment: env)
        #expect(status == 0, "\(output)")
        #expect(output.contains("checkpointd is not running"))
        let cached = try FileManager.default.contentsOfDirectory(atPath: cache).filter { $0.hasSuffix(".wav") }
        #expect(cached.count == 1)
        guard let phrase = cached.first else { return }
        let source = Double(try runTool("/usr/bin/soxi", ["-D", "\(cache)/\(phrase)"])) ?? 0
        let played = Double(try runTool("/usr/bin/soxi", ["-D", sink])) ?? -1
        #expect(source > 1.0)
        #expect(abs(played - source) < 0.12, "source \(source) s, played \(played) s")

        let (badStatus, badOutput) = try checkpointctl(["horn", "play", "nosuch", "--socket", socket, "--config", config], environment: env)
        #expect(badStatus != 0)
        #expect(badOutput.contains("no announcement \"nosuch\""))
        let (queueStatus, queueOutput) = try checkpointctl(["horn", "queue", "--socket", socket])
        #expect(queueStatus != 0 && queueOutput.contains("not running"))
    }

    @Test("checkpointctl lines safe names every configured real line it could not drive inactive")
    func linesSafe() throws {
        let dir = try TestEnvironment.temporaryDirectory("horn-lines")
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = dir.appendingPathComponent("checkpoint.toml").path
        try """
        [horn]
        amplifier = { chip = "gpiochip-absent", offset = 5, activeLow = true }
        externalHornRelay = { simulated = "horn-relay" }
        """.write(toFile: config, atomically: true, encoding: .utf8)
        let (status, output) = try checkpointctl(["lines", "safe", "--config", config])
        #expect(status != 0)
        #expect(output.contains("horn.amplifier"))
        #expect(output.contains("gpiochip-absent"))
        #expect(!output.contains("horn-relay"))
    }

    @Test("checkpointctl horn play, queue and stop reach the daemon's horn through a real control socket (simulated lines)")
    func throughDaemon() async throws {
        let dir = try TestEnvironment.temporaryDirectory("horn-daemon")
        defer { try? FileManager.default.removeItem(at: dir) }
        let socket = dir.appendingPathComponent("control.sock").path
        var configuration = HornConfiguration()
        configuration.speechCache = dir.appendingPathComponent("cache").path
        let amp = SimulatedOutputLine(name: "amp", now: MonotonicClock.now)
        // Nothing drives the controller's clock here, so the request stays warming up: observable.
        let service = HornService(configuration: configuration, amplifier: amp, relay: nil, output: RecordingOutput(clock: VirtualClock()))
        let router = ControlRouter()
        HornControlHandlers.register(service, on: router)
        let loop = try EventLoop(name: "t-horn-control")
        let server = ControlServer(path: socket, router: router, loop: loop)
        try server.start()
        defer { server.stop(); loop.stop() }

        let (playStatus, played) = try await checkpointctl(["horn", "play", "fever", "--socket", socket])
        #expect(playStatus == 0, "\(played)")
        #expect(played.contains("queued fever"))
        let (_, queue) = try await checkpointctl(["horn", "queue", "--socket", socket])
        #expect(queue.contains("amplifier warming up"))
        #expect(queue.contains("pending: fever (alarm)"))
        let (_, json) = try await checkpointctl(["horn", "queue", "--json", "--socket", socket])
        let snapshot = try JSONDecoder().decode(HornSnapshot.self, from: Data(json.utf8))
        #expect(snapshot.pending.map(\.announcementID) == ["fever"])
        let (stopStatus, stopped) = try await checkpointctl(["horn", "stop", "--socket", socket])
        #expect(stopStatus == 0 && stopped.contains("1 pending removed"))
        #expect(amp.level == .inactive)
        let (busyStatus, busy) = try await checkpointctl(["horn", "play", "nosuch", "--socket", socket])
        #expect(busyStatus != 0 && busy.contains("nosuch"))
    }
}
