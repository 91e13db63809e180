import Foundation

/// One visitor's registration as the store keeps it (外来人员登记表): from an entry with reason
/// `visitorRegistration`, keyed like the entry.
public struct StoredRegistration: Codable, Sendable, Hashable {
    public var gate: String
    public var journalEpoch: UUID
    public var seq: Int64
    public var occurredAt: Date
    public var lane: String
    public var name: String
    public var citizenNumber: String
    public var address: String
    /// Whom the visitor visits, when the person on duty added it.
    public var host: String?

    public init(gate: String, journalEpoch: UUID, seq: Int64, occurredAt: Date, lane: String, name: String,
                citizenNumber: String, address: String, host: String?) {
        self.gate = gate
        self.journalEpoch = journalEpoch
        self.seq = seq
        self.occurredAt = occurredAt
        self.lane = lane
        self.name = name
        self.citizenNumber = citizenNumber
        self.address = address
        self.host = host
    }
}
