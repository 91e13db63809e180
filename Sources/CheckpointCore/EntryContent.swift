/// What the gate decided about one person: the part of an entry that the decision makes, before
/// and after the journal gives it its identity (docs/contracts.md §1). `EntryDraft` (journal input)
/// and `EntryRecord` (the stored and sent record) both hold one.
public struct EntryContent: Codable, Sendable, Hashable {
    /// The lane's identifier from the configuration.
    public var lane: String
    public var direction: Direction
    /// Absent when nobody showed a code (e.g. `noCredential`, `manualOpen`).
    public var credential: Credential?
    /// Absent when no reading was paired with the scan.
    public var temperature: TemperatureReading?
    public var decision: Decision
    public var reason: ReasonCode
    /// The version of the policy that decided (configuration hash or operator-set label).
    public var policyVersion: String
    /// Who recorded a manual entry or opened the gate by hand; nil otherwise.
    public var recordedBy: String?

    public init(lane: String, direction: Direction, credential: Credential?, temperature: TemperatureReading?,
                decision: Decision, reason: ReasonCode, policyVersion: String, recordedBy: String? = nil) {
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
