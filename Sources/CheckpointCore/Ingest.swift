import Foundation

/// The body of `POST /v1/ingest`: a batch of one gate's records (at most
/// `FieldLimits.maxRecordsPerBatch`, body at most `FieldLimits.maxIngestBodyBytes`). The gate is
/// authenticated by its credential; `gate` here and in every record must be that gate.
public struct IngestBatch: Codable, Sendable, Hashable {
    public var gate: String
    public var records: [EntryRecord]

    public init(gate: String, records: [EntryRecord]) {
        self.gate = gate
        self.records = records
    }
}

/// The reply to an ingest batch, applied atomically.
public struct IngestResponse: Codable, Sendable, Hashable {
    /// Ids stored by this request.
    public var stored: [UUID]
    /// Ids that were already stored with the same key and id (a retry): not stored again.
    public var duplicates: [UUID]
    /// Records the store could not accept; kept in quarantine, they still count toward contiguity.
    public var quarantined: [QuarantinedRecord]
    /// For every journal epoch in the batch: the highest seq such that 1…seq are all at the store
    /// (stored or quarantined). The gate may prune up to it.
    public var acknowledged: [EpochAcknowledgement]

    public init(stored: [UUID], duplicates: [UUID], quarantined: [QuarantinedRecord], acknowledged: [EpochAcknowledgement]) {
        self.stored = stored
        self.duplicates = duplicates
        self.quarantined = quarantined
        self.acknowledged = acknowledged
    }
}

public struct QuarantinedRecord: Codable, Sendable, Hashable {
    public var journalEpoch: UUID
    public var seq: Int64
    public var id: UUID?
    public var reasons: [String]

    public init(journalEpoch: UUID, seq: Int64, id: UUID?, reasons: [String]) {
        self.journalEpoch = journalEpoch
        self.seq = seq
        self.id = id
        self.reasons = reasons
    }
}

public struct EpochAcknowledgement: Codable, Sendable, Hashable {
    public var journalEpoch: UUID
    /// 1…contiguousThrough are all at the store; 0 when seq 1 has not arrived.
    public var contiguousThrough: Int64

    public init(journalEpoch: UUID, contiguousThrough: Int64) {
        self.journalEpoch = journalEpoch
        self.contiguousThrough = contiguousThrough
    }
}

/// A JSON error body for every 4xx/5xx of the central store: `{"error": {"code": "…", "message": "…"}}`.
public struct APIErrorBody: Codable, Sendable, Hashable {
    public struct Detail: Codable, Sendable, Hashable {
        public var code: String
        public var message: String
        public init(code: String, message: String) { self.code = code; self.message = message }
    }
    public var error: Detail
    public init(code: String, message: String) { self.error = Detail(code: code, message: message) }
}
