import Foundation

/// One journaled record as the journal holds it: seq, id and the record's JSON exactly as
/// written by `CheckpointJSON.encoder()` at append. That JSON is the wire form of an
/// `EntryRecord`, so the uplink forwards it as is, never decoding and encoding it again.
public struct JournaledRecord: Sendable, Hashable {
    public var seq: Int64
    public var id: UUID
    /// A UTF-8 JSON object, an `EntryRecord`.
    public var json: Data

    public init(seq: Int64, id: UUID, json: Data) {
        self.seq = seq
        self.id = id
        self.json = json
    }
}
