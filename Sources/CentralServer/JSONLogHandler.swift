import CheckpointCore
import Foundation
import Logging

/// A swift-log handler writing one JSON object per line to standard error (journald and log
/// shippers take it as is): `{"ts":"…","level":"info","label":"…","msg":"…", …metadata}`.
/// Metadata keys become top-level keys; nested metadata is flattened to strings.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    let label: String
    let sink: @Sendable (String) -> Void
    /// Put before each line by level (e.g. journald's `<N>` priority); nil: nothing.
    public var linePrefix: (@Sendable (Logger.Level) -> String)?

    public init(label: String, sink: @escaping @Sendable (String) -> Void = JSONLogHandler.standardError) {
        self.label = label
        self.sink = sink
    }

    public static let standardError: @Sendable (String) -> Void = { line in
        FileHandle.standardError.write(Data(line.utf8))
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var object: [String: String] = [:]
        for (key, value) in metadata { object[key] = "\(value)" }
        for (key, value) in event.metadata ?? [:] { object[key] = "\(value)" }
        object["ts"] = CheckpointJSON.formatTimestamp(Date())
        object["level"] = event.level.rawValue
        object["label"] = label
        object["msg"] = "\(event.message)"
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]),
              let text = String(data: data, encoding: .utf8) else { return }
        sink((linePrefix?(event.level) ?? "") + text + "\n")
    }
}
