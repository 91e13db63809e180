import CheckpointCore
import Foundation
import Testing

@Suite("EntryRecordJSON writes the bytes Foundation's encoder writes")
struct EntryRecordJSONTests {
    /// A record with every optional field set, so that a field the writer forgets shows.
    static func full(payload: String = "https://hc.example/a?b=\"c\"&d=\\e", celsius: Double = 36.5, raw: Double = 365) -> EntryRecord {
        EntryRecord(id: UUIDv7.make(), gate: "gate-1", journalEpoch: UUID(), seq: 42,
                    occurredAt: Date(timeIntervalSince1970: 1_795_478_400.125), clockSynced: true,
                    bootID: "6a1d7c1e-2f0b-4c6e-8d1a-0b6f6e0c9a11", monotonicNanos: 18_446_744_073_709_551_615,
                    content: EntryContent(lane: "north-in", direction: .in,
                                          credential: Credential(kind: .idCard, payload: payload, symbology: .qr, lastFour: "123X",
                                                                 validUntil: "2030-01-01",
                                                                 registration: Registration(name: "张三 \"Zhang\"", citizenNumber: "11010519491231002X",
                                                                                            address: "北京/东城\n2号", host: "李四")),
                                          temperature: TemperatureReading(celsius: celsius, kind: .body, raw: raw, device: "usb:1a86:7523@1-1.2"),
                                          decision: .refer, reason: .fever, policyVersion: "p/7", recordedBy: "staff:王"))
    }

    /// The paths of every optional stored property that is nil, at any depth.
    static func nilFields(_ value: Any, path: String = "record") -> [String] {
        Mirror(reflecting: value).children.flatMap { child -> [String] in
            let label = "\(path).\(child.label ?? "?")"
            let mirror = Mirror(reflecting: child.value)
            switch mirror.displayStyle {
            case .optional: return mirror.children.first.map { nilFields($0.value, path: label) } ?? [label]
            case .struct: return nilFields(child.value, path: label)
            default: return []
            }
        }
    }

    func expectSameBytes(_ record: EntryRecord, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let foundation = try CheckpointJSON.encoder().encode(record)
        let written = try EntryRecordJSON.encode(record)
        #expect(String(decoding: written, as: UTF8.self) == String(decoding: foundation, as: UTF8.self), sourceLocation: sourceLocation)
    }

    @Test("A record with every field set is written byte for byte as Foundation's encoder writes it")
    func everyField() throws {
        let record = Self.full()
        #expect(Self.nilFields(record).isEmpty, "the full record leaves these out: \(Self.nilFields(record))")
        try expectSameBytes(record)
    }

    @Test("A record without any optional field is written as Foundation writes it: the absent keys left out")
    func noOptionals() throws {
        let record = EntryRecord(gate: "g", journalEpoch: UUID(), seq: 1, occurredAt: Date(timeIntervalSince1970: 0), clockSynced: false,
                                 bootID: "", monotonicNanos: 0,
                                 content: EntryContent(lane: "l", direction: .out, credential: nil, temperature: nil,
                                                       decision: .refuse, reason: .noCredential, policyVersion: ""))
        try expectSameBytes(record)
    }

    @Test("Every control character, quote, backslash, slash and non-ASCII text is escaped as Foundation escapes it")
    func escapes() throws {
        let controls = String(decoding: (0..<0x20).map { UInt8($0) } + [0x7F], as: UTF8.self)
        try expectSameBytes(Self.full(payload: controls + "\"\\/ é 😀 \u{2028}\u{2029}"))
    }

    @Test("Temperatures are written as Foundation writes doubles: whole numbers without .0, shortest round-trip digits")
    func doubles() throws {
        var generator = SplitMix64(seed: 7)
        let samples: [Double] = [0, -0.0, 37, 36.5, 36.55, 0.1 + 0.2, 1e-7, 1e21, 123_456_789.125, -40, 3650, 1.0 / 3]
            + (0..<500).map { _ in Double(Int64(bitPattern: generator.next()) % 100_000) / 1000 }
        for value in samples {
            try expectSameBytes(Self.full(celsius: value, raw: value * 10))
        }
    }

    @Test("A non-finite temperature is an error, as with Foundation's encoder")
    func nonFinite() {
        #expect(throws: EntryRecordJSON.NonFiniteNumber.self) { try EntryRecordJSON.encode(Self.full(celsius: .nan)) }
        #expect(throws: (any Error).self) { try CheckpointJSON.encoder().encode(Self.full(celsius: .nan)) }
    }

    @Test("What the writer writes decodes to the same record")
    func roundTrip() throws {
        let record = Self.full()
        let decoded = try CheckpointJSON.decoder().decode(EntryRecord.self, from: EntryRecordJSON.encode(record))
        #expect(decoded == record)
    }
}
