/// The gate's counters as `gate.status` reports them (its `json`), for `checkpointctl gate status`
/// and `checkpointctl status`. Counts are since the daemon started.
public struct GateStatusReport: Codable, Sendable, Hashable {
    public var decisions: Int
    /// Entries that could not be journaled (each a person the gate could not decide for).
    public var journalFailures: Int
    /// Device events no lane uses.
    public var ignoredEvents: Int
    public var watchListVersion: Int64
    /// Scanner input that did not become a scan, by reason (noise included).
    public var rejectedScans: [String: Int]

    public init(decisions: Int, journalFailures: Int, ignoredEvents: Int, watchListVersion: Int64, rejectedScans: [String: Int]) {
        self.decisions = decisions
        self.journalFailures = journalFailures
        self.ignoredEvents = ignoredEvents
        self.watchListVersion = watchListVersion
        self.rejectedScans = rejectedScans
    }
}
