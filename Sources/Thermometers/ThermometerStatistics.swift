import CheckpointCore

/// Counters of one thermometer session (for logs, `checkpointctl devices`, health reports).
public struct ThermometerStatistics: Sendable, Hashable, Codable {
    public var readings = 0
    /// Rejections by reason (`garbage` counts runs of skipped bytes; see `garbageBytes`).
    public var rejections: [Rejection.Reason: Int] = [:]
    public var garbageBytes = 0
    public var requests = 0
    public var retries = 0
    public var timeouts = 0
    /// Polls that stayed unanswered after all retries.
    public var unanswered = 0
    /// Times the port was lost (unplug, EIO, hangup) and times it came back.
    public var disconnects = 0
    public var reconnects = 0
    /// Request → reply times of the answered requests, ms.
    public var lastResponseMs: Int64?
    public var maxResponseMs: Int64?

    public init() {}

    /// The total of all rejections.
    public var rejected: Int { rejections.values.reduce(0, +) }

    mutating func count(_ rejection: Rejection) {
        rejections[rejection.reason, default: 0] += 1
        if rejection.reason == .garbage { garbageBytes += rejection.byteCount }
    }

    /// `readings 12, rejected 3 (badChecksum 1, garbage 2 / 17 bytes), timeouts 1, disconnects 0`.
    public var summary: String {
        let reasons = rejections.sorted { $0.key.rawValue < $1.key.rawValue }
            .map { $0.key == .garbage ? "garbage \($0.value) / \(garbageBytes) bytes" : "\($0.key.rawValue) \($0.value)" }
        let rejected = reasons.isEmpty ? "rejected 0" : "rejected \(self.rejected) (\(reasons.joined(separator: ", ")))"
        return "readings \(readings), \(rejected), timeouts \(timeouts), unanswered \(unanswered), disconnects \(disconnects), reconnects \(reconnects)"
    }
}
