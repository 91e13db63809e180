import Foundation

extension EntryRecordJSON {
    /// The record in `bytes` if they are exactly what `encode` writes (members in its order, no
    /// whitespace, its escapes); nil for anything else, which the caller then decodes with
    /// `CheckpointJSON.decoder()`. Never a different value than that decoder gives: the gates send
    /// the journal's bytes unchanged, so the central store reads nearly every record here, at a
    /// fraction of `JSONDecoder`'s cost.
    public static func decode(_ bytes: UnsafeRawBufferPointer) -> EntryRecord? {
        var reader = CanonicalJSONReader(bytes)
        guard let record = record(&reader), reader.atEnd else { return nil }
        return record
    }

    /// A body `{"gate":"…","records":[…]}` as the gate's uplink writes it, every record canonical;
    /// nil for anything else (decode it with `CheckpointJSON.decoder()`).
    public static func decodeBatch(_ data: Data) -> IngestBatch? {
        data.withUnsafeBytes { bytes -> IngestBatch? in
            var reader = CanonicalJSONReader(bytes)
            guard reader.take(UInt8(ascii: "{")), reader.key("gate", first: true), let gate = reader.string(),
                  reader.key("records"), reader.take(UInt8(ascii: "[")) else { return nil }
            var records: [EntryRecord] = []
            if !reader.take(UInt8(ascii: "]")) {
                repeat {
                    guard let record = record(&reader) else { return nil }
                    records.append(record)
                } while reader.take(UInt8(ascii: ","))
                guard reader.take(UInt8(ascii: "]")) else { return nil }
            }
            guard reader.take(UInt8(ascii: "}")), reader.atEnd else { return nil }
            return IngestBatch(gate: gate, records: records)
        }
    }

    /// One record object, members in `encode`'s order.
    private static func record(_ r: inout CanonicalJSONReader) -> EntryRecord? {
        guard r.take(UInt8(ascii: "{")), r.key("bootID", first: true), let bootID = r.string(),
              r.key("clockSynced"), let clockSynced = r.bool() else { return nil }
        var credential: Credential?
        if r.key("credential") {
            guard let c = self.credential(&r) else { return nil }
            credential = c
        }
        guard r.key("decision"), let decision = r.string().flatMap(Decision.init(rawValue:)),
              r.key("direction"), let direction = r.string().flatMap(Direction.init(rawValue:)),
              r.key("gate"), let gate = r.string(),
              r.key("id"), let id = r.string().flatMap(UUID.init(uuidString:)),
              r.key("journalEpoch"), let epoch = r.string().flatMap(UUID.init(uuidString:)),
              r.key("lane"), let lane = r.string(),
              r.key("monotonicNanos"), let monotonicNanos = r.uint64(),
              r.key("occurredAt"), let occurredAt = r.string().flatMap(CheckpointJSON.parseTimestamp),
              r.key("policyVersion"), let policyVersion = r.string(),
              r.key("reason"), let reason = r.string().flatMap(ReasonCode.init(rawValue:)) else { return nil }
        var recordedBy: String?
        if r.key("recordedBy") {
            guard let who = r.string() else { return nil }
            recordedBy = who
        }
        guard r.key("seq"), let seq = r.int64() else { return nil }
        var temperature: TemperatureReading?
        if r.key("temperature") {
            guard r.take(UInt8(ascii: "{")), r.key("celsius", first: true), let celsius = r.double(),
                  r.key("device"), let device = r.string(),
                  r.key("kind"), let kind = r.string().flatMap(TemperatureKind.init(rawValue:)),
                  r.key("raw"), let raw = r.double(), r.take(UInt8(ascii: "}")) else { return nil }
            temperature = TemperatureReading(celsius: celsius, kind: kind, raw: raw, device: device)
        }
        guard r.take(UInt8(ascii: "}")) else { return nil }
        return EntryRecord(id: id, gate: gate, journalEpoch: epoch, seq: seq, occurredAt: occurredAt, clockSynced: clockSynced,
                           bootID: bootID, monotonicNanos: monotonicNanos, lane: lane, direction: direction,
                           credential: credential, temperature: temperature, decision: decision, reason: reason,
                           policyVersion: policyVersion, recordedBy: recordedBy)
    }

    private static func credential(_ r: inout CanonicalJSONReader) -> Credential? {
        guard r.take(UInt8(ascii: "{")), r.key("kind", first: true),
              let kind = r.string().flatMap(CredentialKind.init(rawValue:)) else { return nil }
        var lastFour: String?
        if r.key("lastFour") {
            guard let v = r.string() else { return nil }
            lastFour = v
        }
        guard r.key("payload"), let payload = r.string() else { return nil }
        var registration: Registration?
        if r.key("registration") {
            guard r.take(UInt8(ascii: "{")), r.key("address", first: true), let address = r.string(),
                  r.key("citizenNumber"), let citizenNumber = r.string() else { return nil }
            var host: String?
            if r.key("host") {
                guard let h = r.string() else { return nil }
                host = h
            }
            guard r.key("name"), let name = r.string(), r.take(UInt8(ascii: "}")) else { return nil }
            registration = Registration(name: name, citizenNumber: citizenNumber, address: address, host: host)
        }
        guard r.key("symbology"), let symbology = r.string().flatMap(Symbology.init(rawValue:)) else { return nil }
        var validUntil: String?
        if r.key("validUntil") {
            guard let v = r.string() else { return nil }
            validUntil = v
        }
        guard r.take(UInt8(ascii: "}")) else { return nil }
        return Credential(kind: kind, payload: payload, symbology: symbology, lastFour: lastFour,
                          validUntil: validUntil, registration: registration)
    }
}
