import CheckpointCore
import Foundation

/// A remote command as the store keeps it: the command, its gate, and what became of it.
public struct StoredCommand: Codable, Sendable, Hashable {
    public var command: RemoteCommand
    public var gate: String
    /// When the gate first received it (server time); nil while never handed out.
    public var deliveredAt: Date?
    /// When the gate acknowledged it; nil while pending.
    public var acknowledgedAt: Date?
    public var outcome: RemoteCommandAcknowledgement.Outcome?
    public var detail: String?

    public init(command: RemoteCommand, gate: String, deliveredAt: Date?, acknowledgedAt: Date?,
                outcome: RemoteCommandAcknowledgement.Outcome?, detail: String?) {
        self.command = command
        self.gate = gate
        self.deliveredAt = deliveredAt
        self.acknowledgedAt = acknowledgedAt
        self.outcome = outcome
        self.detail = detail
    }
}
