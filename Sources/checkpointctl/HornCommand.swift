import ArgumentParser
import CheckpointConfig
import Control
import Foundation
import Horn
import HornConfig
import Logging

/// `checkpointctl horn play|stop|queue|test-amplifier`. Through the daemon's control socket when it
/// runs; when it does not, `play` and `test-amplifier` drive the horn directly.
struct HornCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "horn", abstract: "Play, stop and list announcements; test the amplifier.",
        subcommands: [Play.self, Stop.self, Queue.self, TestAmplifier.self])

    struct Common: ParsableArguments {
        @Option(help: "The daemon's control socket.")
        var socket = ControlProtocol.defaultSocketPath
        @Option(help: "The gate's configuration file (used when the daemon is not running).")
        var config = "/etc/checkpoint/checkpoint.toml"
        @Option(help: "ALSA device to play to when the daemon is not running (default: [horn] device).")
        var device: String?

        /// How long to wait for the daemon's answer: `horn play` of speech not yet cached answers
        /// after it is rendered, which the daemon bounds by `speechTimeoutMs` (10 s by default), and
        /// a busy gate adds its own delay to that.
        static let answerTimeoutSeconds = 30

        /// Sends `request` to the daemon; nil if it is not running.
        func send(_ request: ControlRequest) throws -> ControlResponse? {
            do {
                return try ControlClient(path: socket, timeoutSeconds: Self.answerTimeoutSeconds).send(request)
            } catch ControlClient.Failure.daemonNotRunning {
                return nil
            }
        }

        func report(_ response: ControlResponse) throws {
            guard response.ok else { throw HornCommandError(response.error ?? "failed") }
            print(response.output)
        }

        /// The horn as configured, for direct use without the daemon.
        func directService() throws -> HornService {
            var configuration = FileManager.default.fileExists(atPath: config)
                ? try HornConfiguration.parse(ConfigDocument(contentsOf: config).root) : HornConfiguration()
            if let device { configuration.device = device }
            configuration.speechCache = Self.writableCache(configuration.speechCache)
            var logger = Logger(label: "checkpointctl.horn")
            logger.logLevel = .warning
            return try HornService.open(configuration: configuration, logger: logger)
        }

        /// The configured speech cache if this user may write it, else ~/.cache/checkpoint/speech.
        static func writableCache(_ configured: String) -> String {
            let fm = FileManager.default
            if fm.isWritableFile(atPath: configured) { return configured }
            if !fm.fileExists(atPath: configured), (try? fm.createDirectory(atPath: configured, withIntermediateDirectories: true)) != nil {
                return configured
            }
            let base = ProcessInfo.processInfo.environment["XDG_CACHE_HOME"] ?? (NSHomeDirectory() + "/.cache")
            return base + "/checkpoint/speech"
        }
    }

    struct Play: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Play an announcement by id, or speak a text with --text.")

        @OptionGroup var common: Common
        @Argument(help: "An announcement id from the catalog (e.g. pass, fever, reminder), or the text with --text.")
        var what: String
        @Flag(help: "Speak WHAT as text instead of looking it up.")
        var text = false
        @Option(help: "alarm, feedback, scheduled or ambient.")
        var priority = "feedback"

        func run() async throws {
            var arguments = ["priority": priority]
            arguments[text ? "text" : "announcement"] = what
            if let response = try common.send(ControlRequest(.hornPlay, arguments: arguments)) {
                return try common.report(response)
            }
            guard let p = AnnouncementPriority(rawValue: priority) else { throw HornCommandError("unknown priority \(priority)") }
            let service = try common.directService()
            let id = text ? AnnouncementLibrary.adHocPrefix + what : what
            _ = try service.library.audio(id)   // render first: a bad clip or voice is an error here, not a log line
            try service.play(id, priority: p)
            await service.run(untilIdle: true)
            let snapshot = service.snapshot
            guard snapshot.failures == 0, snapshot.counters.expired == 0, snapshot.fallbackTones == 0 else {
                throw HornCommandError("playing \(what) failed (see the messages above)")
            }
            print("played \(what) on \(service.configuration.device) (checkpointd is not running)")
        }
    }

    struct Stop: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop what plays and clear the queue.")
        @OptionGroup var common: Common

        func run() async throws {
            guard let response = try common.send(ControlRequest(.hornStop)) else {
                throw HornCommandError("checkpointd is not running: nothing plays")
            }
            try common.report(response)
        }
    }

    struct Queue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show what plays, what waits, and the counters.")
        @OptionGroup var common: Common
        @Flag(help: "Print the machine-readable snapshot.")
        var json = false

        func run() async throws {
            guard let response = try common.send(ControlRequest(.hornQueue)) else {
                throw HornCommandError("checkpointd is not running: no queue")
            }
            if json, response.ok { print(response.json ?? "{}") } else { try common.report(response) }
        }
    }

    struct TestAmplifier: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "test-amplifier",
                                                        abstract: "Switch the horn relay and amplifier on for a while, without audio.")
        @OptionGroup var common: Common
        @Option(help: "How long to hold the lines on (ms).")
        var durationMs = 2000

        func run() async throws {
            guard (1...60_000).contains(durationMs) else { throw HornCommandError("--duration-ms must be 1…60000") }
            if let response = try common.send(ControlRequest(.hornTestAmplifier, arguments: ["durationMs": String(durationMs)])) {
                return try common.report(response)
            }
            let service = try common.directService()
            guard service.testAmplifier(duration: .milliseconds(durationMs)) else { throw HornCommandError("the horn is busy") }
            await service.run(untilIdle: true)
            print("amplifier was on for \(durationMs) ms (checkpointd is not running)")
        }
    }
}

/// A failure of a horn command: printed as `Error: …`, exit status 1 (no usage text).
struct HornCommandError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
