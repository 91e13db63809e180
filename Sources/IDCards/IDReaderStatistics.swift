import CheckpointCore

/// Counters of one ID reader session (logs, status, health). Counts only, never card content.
public struct IDReaderStatistics: Sendable, Hashable, Codable {
    /// Cards read (one per presentation).
    public var cards = 0
    /// Polls that found the already-read card still on the reader (not read again).
    public var heldPolls = 0
    public var removals = 0
    /// Cycles stopped before the card was read (select / read failed or timed out).
    public var interrupted = 0
    /// Rejections by reason (`garbage` counts runs; see `garbageBytes`).
    public var rejections: [IDCardRejection.Reason: Int] = [:]
    public var garbageBytes = 0
    public var requests = 0
    public var retries = 0
    public var timeouts = 0
    /// Requests that stayed unanswered after every retry.
    public var unanswered = 0
    /// Answers with a status the cycle does not expect at that step (e.g. a SAM fault code).
    public var unexpectedStatuses = 0
    public var disconnects = 0
    public var reconnects = 0
    /// Request → reply times, ms.
    public var lastResponseMs: Int64?
    public var maxResponseMs: Int64?

    public init() {}

    public var rejected: Int { rejections.values.reduce(0, +) }

    mutating func count(_ rejection: IDCardRejection) {
        rejections[rejection.reason, default: 0] += 1
        if rejection.reason == .garbage { garbageBytes += rejection.byteCount }
    }

    /// `cards 2, held 14, removed 2, interrupted 1, rejected 1 (badChecksum 1), timeouts 0, disconnects 0`.
    public var summary: String {
        let reasons = rejections.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue) \($0.value)" }
        let rejected = reasons.isEmpty ? "rejected 0" : "rejected \(self.rejected) (\(reasons.joined(separator: ", ")))"
        return "cards \(cards), held \(heldPolls), removed \(removals), interrupted \(interrupted), \(rejected), timeouts \(timeouts), unanswered \(unanswered), disconnects \(disconnects), reconnects \(reconnects)"
    }
}
