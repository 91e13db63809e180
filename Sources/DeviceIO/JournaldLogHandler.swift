import Foundation
import Logging

/// A swift-log handler for a daemon under systemd: one line per event on standard error, led by
/// its syslog priority (`JournaldStream.priorityPrefix`), then `label: key=value … [source]
/// message` (journald adds the time). Line breaks inside a message or a value are written as `\n`,
/// so one event is always one journal entry.
public struct JournaldLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    public let label: String
    private let sink: @Sendable (String) -> Void

    public init(label: String, sink: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }) {
        self.label = label
        self.sink = sink
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        sink(Self.line(level: event.level, label: label, metadata: metadata.merging(event.metadata ?? [:]) { _, new in new },
                       source: event.source, message: "\(event.message)"))
    }

    /// The line written for one event, with its trailing newline.
    public static func line(level: Logger.Level, label: String, metadata: Logger.Metadata, source: String, message: String) -> String {
        let fields = metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\(oneLine("\($0.value)"))" }
        let head = ([label + ":"] + fields).joined(separator: " ")
        return "\(JournaldStream.priorityPrefix(level))\(head) [\(source)] \(oneLine(message))\n"
    }

    private static func oneLine(_ text: String) -> String {
        text.replacingOccurrences(of: "\r", with: "\\r").replacingOccurrences(of: "\n", with: "\\n")
    }
}
