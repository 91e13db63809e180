import Foundation
import Testing
@testable import CheckpointCore

func sampleRecord(seq: Int64 = 1, payload: String = "https://jkm.example.cn/c/ABC123") -> EntryRecord {
    EntryRecord(gate: "gate-01", journalEpoch: UUID(), seq: seq, occurredAt: Date(timeIntervalSince1970: 1_764_000_000.5),
                clockSynced: true, bootID: "3f1c0f5e-0c4e-4a4e-9a55-0e6c1a2b3c4d", monotonicNanos: 123_456_789,
                lane: "north-in", direction: .in,
                credential: Credential(kind: .code, payload: payload, symbology: .qr),
                temperature: TemperatureReading(celsius: 36.6, kind: .body, raw: 3660, device: "usb:1a86:7523@1-1.2"),
                decision: .admit, reason: .admitted, policyVersion: "p1")
}

@Suite("The entry record")
struct EntryRecordTests {
    @Test("A record survives the shared JSON encoding unchanged, with a millisecond UTC timestamp")
    func jsonRoundTrip() throws {
        let r = sampleRecord()
        let data = try CheckpointJSON.encoder().encode(r)
        let text = try #require(String(data: data, encoding: .utf8))
        #expect(text.contains("\"occurredAt\":\"2025-11-24T16:00:00.500Z\""))
        #expect(text.contains("\"reason\":\"admitted\""))
        let back = try CheckpointJSON.decoder().decode(EntryRecord.self, from: data)
        #expect(back == r)
    }

    @Test("A valid record has no violations")
    func validRecord() {
        #expect(sampleRecord().violations().isEmpty)
    }

    @Test("An overlong payload, a bad gate id and seq 0 are each named as violations")
    func violationsAreNamed() {
        var r = sampleRecord(seq: 0, payload: String(repeating: "x", count: FieldLimits.maxCredentialPayloadBytes + 1))
        r.gate = "gate 01"
        let v = r.violations()
        #expect(v.contains { $0.contains("payload") })
        #expect(v.contains { $0.contains("gate") })
        #expect(v.contains { $0.contains("seq") })
    }

    @Test("An unknown reason code does not decode")
    func unknownReasonRejected() throws {
        let data = try CheckpointJSON.encoder().encode(sampleRecord())
        let text = String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\"admitted\"", with: "\"bribed\"")
        #expect(throws: DecodingError.self) {
            try CheckpointJSON.decoder().decode(EntryRecord.self, from: Data(text.utf8))
        }
    }

    @Test("Identifiers allow letters, digits, dot, underscore and dash up to 64 bytes")
    func identifiers() {
        #expect(FieldLimits.isValidIdentifier("gate-01.north_in"))
        #expect(!FieldLimits.isValidIdentifier(""))
        #expect(!FieldLimits.isValidIdentifier("门岗1"))
        #expect(!FieldLimits.isValidIdentifier(String(repeating: "a", count: 65)))
    }
}
