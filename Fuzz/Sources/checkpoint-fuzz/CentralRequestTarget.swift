import CheckpointCore
import Foundation

/// The central store's gate-facing request bodies (an ingest batch, a heartbeat) decoded with the
/// store's JSON rules, each record validated, and the timestamp syntax of the query parameters.
/// Contracts checked: a record the validator passes has a temperature inside the wire range and a
/// credential payload within its limit; the canonical decoder (`EntryRecordJSON.decodeBatch`, the
/// store's fast path) either leaves a body to `JSONDecoder` or reads exactly what it reads.
enum CentralRequestTarget {
    static let target = FuzzTarget(
        name: "central-request",
        summary: "HTTP request bodies and query values in: IngestBatch/Heartbeat values with record violations, or errors",
        seeds: { [Array(#"{"gate":"gate-01","records":[]}"#.utf8), Array("2026-11-24T08:00:00+08:00".utf8), canonicalBatch] },
        body: run)

    static func run(_ bytes: [UInt8]) {
        let data = Data(bytes)
        let decoder = CheckpointJSON.decoder()
        let decoded = try? decoder.decode(IngestBatch.self, from: data)
        if let fast = EntryRecordJSON.decodeBatch(data) {
            FuzzCheck.require(fast == decoded, "the canonical decoder read a body otherwise than JSONDecoder")
        }
        if let batch = decoded {
            for record in batch.records where record.violations().isEmpty {
                if let celsius = record.temperature?.celsius {
                    FuzzCheck.require(FieldLimits.celsiusWireRange.contains(celsius), "a valid record at \(celsius) °C")
                }
                if let payload = record.credential?.payload {
                    FuzzCheck.require(payload.utf8.count <= FieldLimits.maxCredentialPayloadBytes,
                                      "a valid record with a \(payload.utf8.count)-byte payload")
                }
            }
        }
        _ = try? decoder.decode(Heartbeat.self, from: data)
        if let text = String(bytes: bytes, encoding: .utf8) { _ = CheckpointJSON.parseTimestamp(text) }
    }

    /// A body as the uplink writes it: one record with every optional field, in the journal's bytes.
    static var canonicalBatch: [UInt8] {
        let record = EntryRecord(gate: "gate-01", journalEpoch: UUID(), seq: 7, occurredAt: Date(timeIntervalSince1970: 1_795_478_400.125),
                                 clockSynced: true, bootID: "6a1d7c1e-2f0b-4c6e-8d1a-0b6f6e0c9a11", monotonicNanos: 123_456_789,
                                 lane: "north-in", direction: .in,
                                 credential: Credential(kind: .idCard, payload: "https://hc.example/a?b=\"c\"", symbology: .qr,
                                                        lastFour: "123X", validUntil: "2030-01-01",
                                                        registration: Registration(name: "张三", citizenNumber: "11010519491231002X",
                                                                                   address: "北京/东城\n2号", host: "李四")),
                                 temperature: TemperatureReading(celsius: 36.6, kind: .body, raw: 366, device: "usb:1a86:7523@1-1.2"),
                                 decision: .admit, reason: .admitted, policyVersion: "p/7", recordedBy: "staff:王")
        let encoded = (try? EntryRecordJSON.encode(record)) ?? Data()
        return Array(#"{"gate":"gate-01","records":["#.utf8) + Array(encoded) + Array("]}".utf8)
    }
}
