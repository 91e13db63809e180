import CheckpointCore
import Foundation

/// How far one journal epoch of a gate has arrived.
public struct EpochProgress: Codable, Sendable, Hashable {
    public var journalEpoch: UUID
    /// 1…contiguousThrough are all at the store (stored or quarantined); 0 if seq 1 has not arrived.
    public var contiguousThrough: Int64
    /// The highest seq received (stored or quarantined).
    public var highestSeq: Int64
    /// Server time of the last ingest that touched this epoch.
    public var lastReceivedAt: Date

    public init(journalEpoch: UUID, contiguousThrough: Int64, highestSeq: Int64, lastReceivedAt: Date) {
        self.journalEpoch = journalEpoch
        self.contiguousThrough = contiguousThrough
        self.highestSeq = highestSeq
        self.lastReceivedAt = lastReceivedAt
    }
}

/// Seqs `fromSeq`…`throughSeq` (inclusive) of one epoch that should exist (a higher seq arrived)
/// but never did.
public struct SequenceGap: Codable, Sendable, Hashable {
    public var gate: String
    public var journalEpoch: UUID
    public var fromSeq: Int64
    public var throughSeq: Int64

    public init(gate: String, journalEpoch: UUID, fromSeq: Int64, throughSeq: Int64) {
        self.gate = gate
        self.journalEpoch = journalEpoch
        self.fromSeq = fromSeq
        self.throughSeq = throughSeq
    }

    /// How many seqs are missing.
    public var count: Int64 { throughSeq - fromSeq + 1 }
}

/// One gate's health as of its last heartbeat and ingest. Heartbeat fields are nil until the first
/// heartbeat.
public struct GateHealth: Codable, Sendable, Hashable {
    public var gate: String
    public var checkpoint: String
    public var canIngest: Bool
    /// Server time of the last heartbeat.
    public var lastContact: Date?
    /// Server time of the last ingest batch.
    public var lastIngestAt: Date?
    /// Records the gate reported as journaled but not yet acknowledged.
    public var backlog: Int64?
    /// Server time − the gate's `sentAt`, in milliseconds, at the last heartbeat (positive: the
    /// gate's clock is behind; includes the network delay).
    public var clockOffsetMillis: Int64?
    public var clockSynced: Bool?
    public var softwareVersion: String?
    public var bootID: String?
    /// The epoch and last seq the gate reported in its last heartbeat.
    public var journalEpoch: UUID?
    public var lastSeq: Int64?
    public var devices: [DeviceState]
    /// Every epoch the store has received records of, newest first.
    public var epochs: [EpochProgress]

    public init(gate: String, checkpoint: String, canIngest: Bool, lastContact: Date?, lastIngestAt: Date?,
                backlog: Int64?, clockOffsetMillis: Int64?, clockSynced: Bool?, softwareVersion: String?,
                bootID: String?, journalEpoch: UUID?, lastSeq: Int64?, devices: [DeviceState], epochs: [EpochProgress]) {
        self.gate = gate
        self.checkpoint = checkpoint
        self.canIngest = canIngest
        self.lastContact = lastContact
        self.lastIngestAt = lastIngestAt
        self.backlog = backlog
        self.clockOffsetMillis = clockOffsetMillis
        self.clockSynced = clockSynced
        self.softwareVersion = softwareVersion
        self.bootID = bootID
        self.journalEpoch = journalEpoch
        self.lastSeq = lastSeq
        self.devices = devices
        self.epochs = epochs
    }
}
