import ArgumentParser
import CentralServer
import DeviceIO
import Logging

/// `--log-level` and the one logging bootstrap: JSON lines on standard error, each led by its
/// syslog priority when standard error is journald's stream.
struct LogOptions: ParsableArguments {
    @Option(name: .long, help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    func bootstrap() throws -> Logger {
        guard let level = Logger.Level(rawValue: logLevel) else {
            throw ValidationError("--log-level must be one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let journald = JournaldStream.isStandardError()
        LoggingSystem.bootstrap { label in
            var handler = JSONLogHandler(label: label)
            handler.logLevel = level
            if journald { handler.linePrefix = JournaldStream.priorityPrefix }
            return handler
        }
        return Logger(label: "checkpoint-central")
    }
}
