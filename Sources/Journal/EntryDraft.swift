import CheckpointCore
import Foundation

/// A decided entry before the journal gives it its identity: the journal adds `id` (UUIDv7),
/// `gate`, `journalEpoch` and the next `seq` in the same transaction that stores it.
public struct EntryDraft: Sendable, Hashable {
    public var clock: ClockFacts
    public var lane: String
    public var direction: Direction
    public var credential: Credential?
    public var temperature: TemperatureReading?
    public var decision: Decision
    public var reason: ReasonCode
    public var policyVersion: String
    public var recordedBy: String?

    public init(clock: ClockFacts, lane: String, direction: Direction, credential: Credential?, temperature: TemperatureReading?,
                decision: Decision, reason: ReasonCode, policyVersion: String, recordedBy: String? = nil) {
        self.clock = clock
        self.lane = lane
        self.direction = direction
        self.credential = credential
        self.temperature = temperature
        self.decision = decision
        self.reason = reason
        self.policyVersion = policyVersion
        self.recordedBy = recordedBy
    }
}
