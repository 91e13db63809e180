import CheckpointCore
import Foundation

/// A gate's profile as the store sees it: the version it should run and what it last reported.
public struct GateProfileStatus: Codable, Sendable, Hashable {
    public var gate: String
    public var checkpoint: String
    /// The effective version of the gate's levels (0: no level set).
    public var currentVersion: Int64
    /// The gate's last report (nil: never reported one).
    public var report: ProfileReport?
    public var reportedAt: Date?

    public init(gate: String, checkpoint: String, currentVersion: Int64, report: ProfileReport?, reportedAt: Date?) {
        self.gate = gate
        self.checkpoint = checkpoint
        self.currentVersion = currentVersion
        self.report = report
        self.reportedAt = reportedAt
    }
}
