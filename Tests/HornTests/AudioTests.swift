import Foundation
import TestSupport
import Testing
@testable import Horn

/// Runs a tool and returns its output (trimmed); throws on a non-zero exit.
func runTool(_ path: String, _ args: [String]) throws -> String {
    let (status, output) = try runProcess(path, args)
    let text = output.trimmingCharacters(in: .whitespacesAndNewlines)
    guard status == 0 else { throw ToolFailure(description: "\(path) \(args): \(text)") }
    return text
}

struct ToolFailure: Error, CustomStringConvertible { let description: String }

/// Maximum absolute amplitude (0…1) as `sox FILE -n stat` measures it.
func maximumAmplitude(_ path: String) throws -> Double {
    let stat = try runTool("/usr/bin/sox", [path, "-n", "stat"])
    let line = stat.split(separator: "\n").first { $0.hasPrefix("Maximum amplitude") } ?? ""
    return Double(line.split(separator: ":").last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "") ?? -1
}

/// ALSA configuration text for a PCM that writes what is played into `file` (file plugin over null).
func fileSinkConfiguration(_ file: String) -> String {
    "pcm.tofile { type file; slave.pcm { type null }; file \"\(file)\"; format \"wav\" }\n"
}

/// Waits up to `seconds` for `condition` without blocking a thread of the concurrency pool.
func waitFor(_ seconds: Double = 10, _ condition: () -> Bool) async -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while !condition() {
        if Date() > deadline { return false }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return true
}

// @unchecked: `value` is reached only under `lock`.
final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}

@Suite("Audio: WAV clips, speech, and ALSA output into a file")
struct AudioTests {
    @Test("WAV files that are not 16-bit PCM mono or stereo at a common rate are rejected naming the file and the format")
    func rejections() throws {
        let good = PCMAudio(channels: 1, sampleRate: 16000, samples: [0, 1000, -1000, 32767])
        let image = WAVReader.encode(good)
        #expect(try WAVReader.decode(image, file: "ok.wav") == good)
        func patched(_ offset: Int, _ value: UInt16) -> [UInt8] {
            var b = image
            b[offset] = UInt8(value & 0xFF)
            b[offset + 1] = UInt8(value >> 8)
            return b
        }
        let cases: [([UInt8], String)] = [
            (patched(34, 8), "8-bit PCM"),          // bits per sample
            (patched(20, 3), "IEEE float"),         // format tag
            (patched(22, 3), "3 channels"),         // channels
            (patched(24, 12345), "12345 Hz"),       // sample rate (low half)
            (Array("RIFX".utf8) + image.dropFirst(4), "not a RIFF/WAVE"),
        ]
        for (bytes, expected) in cases {
            do {
                _ = try WAVReader.decode(bytes, file: "/srv/clips/bad.wav")
                Issue.record("accepted \(expected)")
            } catch {
                #expect("\(error)".contains("/srv/clips/bad.wav"))
                #expect("\(error)".contains(expected), "\(error)")
            }
        }
        // Truncated data and a streaming placeholder size are read without a crash.
        var truncated = image
        truncated.removeLast(3)
        #expect(try WAVReader.decode(truncated, file: "t.wav").samples == [0, 1000])
    }

    @Test("A real clip plays through ALSA into a file with the source's duration and the volume applied")
    func clipThroughALSA() async throws {
        let dir = try TestEnvironment.temporaryDirectory("horn-clip")
        defer { try? FileManager.default.removeItem(at: dir) }
        let clip = dir.appendingPathComponent("chime.wav").path
        _ = try runTool("/usr/bin/sox", ["-n", "-r", "44100", "-c", "2", "-b", "16", clip, "synth", "1.7", "sine", "440", "vol", "0.8"])
        let sink = dir.appendingPathComponent("out.wav").path
        let player = AlsaPlayer(device: "tofile", configuration: fileSinkConfiguration(sink)) { _ in try WAVReader.read(clip) }
        let done = Flag()
        try player.start(QueuedAnnouncement(announcementID: "chime", priority: .feedback, enqueuedAt: .zero), volume: 0.5) { done.set() }
        #expect(await waitFor { done.isSet })
        let source = Double(try runTool("/usr/bin/soxi", ["-D", clip])) ?? 0
        let played = Double(try runTool("/usr/bin/soxi", ["-D", sink])) ?? 0
        #expect(abs(played - source) < 0.12, "source \(source) s, played \(played) s")
        #expect(try runTool("/usr/bin/soxi", ["-r", sink]) == "44100")
        #expect(try runTool("/usr/bin/soxi", ["-c", sink]) == "2")
        let ratio = try maximumAmplitude(sink) / maximumAmplitude(clip)
        #expect(abs(ratio - 0.5) < 0.02, "amplitude ratio \(ratio)")
    }

    @Test("A Mandarin phrase is synthesized once, cached by voice and text, and plays through ALSA with its duration")
    func speechThroughALSA() async throws {
        let dir = try TestEnvironment.temporaryDirectory("horn-tts")
        defer { try? FileManager.default.removeItem(at: dir) }
        let speech = SpeechSynthesizer(cacheDirectory: dir.appendingPathComponent("cache").path)
        let path = try speech.render(text: "体温正常,请通行", voice: "cmn")
        let created = try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date
        #expect(try speech.render(text: "体温正常,请通行", voice: "cmn") == path)
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date == created)
        #expect(speech.cachePath(voice: "en", text: "体温正常,请通行") != path)
        let source = Double(try runTool("/usr/bin/soxi", ["-D", path])) ?? 0
        #expect(source > 1.0, "speech of \(source) s")

        let library = AnnouncementLibrary(catalog: .mandarinDefaults, speech: speech)
        let sink = dir.appendingPathComponent("out.wav").path
        let player = AlsaPlayer(device: "tofile", configuration: fileSinkConfiguration(sink)) { try library.audio($0.announcementID) }
        let done = Flag()
        try player.start(QueuedAnnouncement(announcementID: "pass", priority: .feedback, enqueuedAt: .zero), volume: 1) { done.set() }
        #expect(await waitFor { done.isSet })
        let played = Double(try runTool("/usr/bin/soxi", ["-D", sink])) ?? 0
        #expect(abs(played - source) < 0.12, "source \(source) s, played \(played) s")
        #expect(try maximumAmplitude(sink) > 0.1)
    }

    @Test("Stopping the player right after it starts a two-minute clip ends playback early and reports it finished")
    func stopDropsPlayback() async throws {
        let dir = try TestEnvironment.temporaryDirectory("horn-stop")
        defer { try? FileManager.default.removeItem(at: dir) }
        let sink = dir.appendingPathComponent("out.wav").path
        let long = PCMAudio(channels: 2, sampleRate: 48000, samples: [Int16](repeating: 1000, count: 48000 * 2 * 120))
        let player = AlsaPlayer(device: "tofile", configuration: fileSinkConfiguration(sink)) { _ in long }
        let done = Flag()
        try player.start(QueuedAnnouncement(announcementID: "long", priority: .scheduled, enqueuedAt: .zero), volume: 1) { done.set() }
        player.stop()
        #expect(await waitFor { done.isSet })
        let played = Double(try runTool("/usr/bin/soxi", ["-D", sink])) ?? 120
        #expect(played < 60, "played \(played) s of 120 s")
    }

    @Test("An unknown announcement and a missing ALSA device are clear errors, and nothing starts")
    func playerErrors() throws {
        let library = AnnouncementLibrary(catalog: .mandarinDefaults, speech: SpeechSynthesizer(cacheDirectory: "/nonexistent"))
        #expect(throws: HornError.unknownAnnouncement("nosuch")) { try library.audio("nosuch") }
        let player = AlsaPlayer(device: "checkpoint_no_such_pcm", configuration: "") { _ in PCMAudio(channels: 1, sampleRate: 8000, samples: [0, 0]) }
        do {
            try player.start(QueuedAnnouncement(announcementID: "x", priority: .alarm, enqueuedAt: .zero), volume: 1) {}
            Issue.record("started on a device that does not exist")
        } catch {
            #expect("\(error)".contains("checkpoint_no_such_pcm"))
        }
    }
}
