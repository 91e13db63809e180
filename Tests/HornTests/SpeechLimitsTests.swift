import CheckpointCore
import CheckpointConfig
import Control
import DeviceIO
import Foundation
import Testing
import TestSupport
@testable import Horn

/// The speech synthesizer's bounds: a time cap per run and a size cap on the cache. The synthesizer
/// here is a FAKE espeak-ng (a shell script taking the same arguments), so the test controls how
/// long a run takes and how large its file is.
@Suite("Speech synthesis is bounded in time and cache size")
struct SpeechLimitsTests {
    /// A fake `espeak-ng -v VOICE -w OUT -f TEXT` that runs `body` (`$4` is OUT).
    static func fakeSynthesizer(in dir: URL, _ body: String) throws -> String {
        let path = dir.appendingPathComponent("fake-espeak-ng").path
        try "#!/bin/sh\n\(body)\n".write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
        return path
    }

    @Test("A FAKE espeak-ng past the time cap is killed and answered as an error by the synthesizer and by horn.play text=")
    func slowSynthesisKilled() async throws {
        let dir = try TestEnvironment.temporaryDirectory("speech-timeout")
        defer { try? FileManager.default.removeItem(at: dir) }
        let command = try Self.fakeSynthesizer(in: dir, "exec sleep 30")  // one process, as espeak-ng is
        let speech = SpeechSynthesizer(command: command, cacheDirectory: dir.appendingPathComponent("cache").path, timeout: .milliseconds(300))
        let started = ContinuousClock.now
        #expect(throws: HornError.self) { try speech.render(text: "请排队", voice: "cmn") }
        #expect(ContinuousClock.now - started < .seconds(5), "killed at the cap, not after the 30 s sleep")

        var configuration = try HornConfiguration.parse(ConfigDocument(text: "[horn]\nspeechTimeoutMs = 300\n", file: "test.toml").root)
        configuration.speechCommand = command
        configuration.speechCache = dir.appendingPathComponent("cache").path
        let service = HornService(configuration: configuration, amplifier: SimulatedOutputLine(name: "amp", now: MonotonicClock.now),
                                  relay: nil, output: RecordingOutput(clock: VirtualClock()))
        let router = ControlRouter()
        HornControlHandlers.register(service, on: router)
        let answer = await router.handle(ControlRequest(command: "horn.play", arguments: ["text": "请排队"]))
        #expect(!answer.ok && answer.error?.contains("killed") == true, "\(answer)")
        #expect(service.snapshot.pending.isEmpty, "nothing queued")
    }

    @Test("The speech cache is trimmed to its size cap, oldest files first, never the newest; evictions are counted")
    func cacheEvictedBySize() throws {
        let dir = try TestEnvironment.temporaryDirectory("speech-cache")
        defer { try? FileManager.default.removeItem(at: dir) }
        let command = try Self.fakeSynthesizer(in: dir, "head -c 400000 /dev/zero > \"$4\"")
        let cache = dir.appendingPathComponent("cache")
        let speech = SpeechSynthesizer(command: command, cacheDirectory: cache.path, maximumCacheBytes: 1_000_000)
        var paths: [String] = []
        for text in ["一", "二", "三", "四"] { paths.append(try speech.render(text: text, voice: "cmn")) }
        let left = try FileManager.default.contentsOfDirectory(atPath: cache.path).filter { $0.hasSuffix(".wav") }
        #expect(left.count == 2, "2 × 400 kB fit in 1 MB: \(left)")
        #expect(speech.evictedFiles == 2)
        #expect(!FileManager.default.fileExists(atPath: paths[0]) && !FileManager.default.fileExists(atPath: paths[1]), "the oldest went first")
        #expect(FileManager.default.fileExists(atPath: paths[3]))
    }
}
