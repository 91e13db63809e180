import CheckpointCore
import Foundation
import Testing

@Suite("EntryRecordJSON reads canonical bytes as Foundation's decoder reads them, and leaves anything else to it")
struct EntryRecordJSONDecodingTests {
    typealias Full = EntryRecordJSONTests

    /// The canonical decoder's record for `bytes`, or nil where it leaves them to the full parser.
    static func fast(_ bytes: Data) -> EntryRecord? {
        bytes.withUnsafeBytes { EntryRecordJSON.decode($0) }
    }

    /// The contract: the canonical decoder either leaves `bytes` alone or gives exactly what
    /// `CheckpointJSON.decoder()` gives (which must then succeed).
    static func expectAgreement(_ bytes: Data, sourceLocation: SourceLocation = #_sourceLocation) {
        guard let fast = fast(bytes) else { return }
        let full = try? CheckpointJSON.decoder().decode(EntryRecord.self, from: bytes)
        #expect(full == fast, "\(String(decoding: bytes, as: UTF8.self))", sourceLocation: sourceLocation)
    }

    @Test("Records as the journal writes them, with every field, without optionals, with every escape, are read back as they were")
    func canonicalRecordsReadBack() throws {
        let controls = String(decoding: (0..<0x20).map { UInt8($0) } + [0x7F], as: UTF8.self)
        let records = [
            Full.full(),
            Full.full(payload: controls + "\"\\/ é 😀 \u{2028}\u{2029}"),
            EntryRecord(gate: "g", journalEpoch: UUID(), seq: Int64.max, occurredAt: Date(timeIntervalSince1970: -1.5), clockSynced: false,
                        bootID: "", monotonicNanos: 0,
                        content: EntryContent(lane: "l", direction: .out, credential: nil, temperature: nil,
                                              decision: .refuse, reason: .noCredential, policyVersion: "")),
        ]
        for record in records {
            let bytes = try EntryRecordJSON.encode(record)
            let fast = try #require(Self.fast(bytes), "canonical bytes must not need the full parser")
            #expect(fast == record)
            #expect(fast == (try CheckpointJSON.decoder().decode(EntryRecord.self, from: bytes)))
        }
    }

    @Test("Temperatures are read to the same Double as Foundation reads them")
    func doublesAgree() throws {
        var generator = SplitMix64(seed: 11)
        let samples: [Double] = [0, -0.0, 37, 36.5, 36.55, 0.1 + 0.2, 1e-7, 1e21, 5e-324, 1.7976931348623157e308, -40, 1.0 / 3]
            + (0..<2000).map { _ in Double(bitPattern: generator.next()) }.filter(\.isFinite)
        for value in samples {
            let bytes = try EntryRecordJSON.encode(Full.full(celsius: value, raw: -value))
            let fast = try #require(Self.fast(bytes))
            #expect(fast.temperature?.celsius.bitPattern == value.bitPattern && fast.temperature?.raw.bitPattern == (-value).bitPattern)
            Self.expectAgreement(bytes)
        }
    }

    @Test("Whitespace, members out of order, unknown members, null, other escapes and bad UTF-8 are left to the full parser")
    func nonCanonicalIsLeftAlone() throws {
        let canonical = String(decoding: try EntryRecordJSON.encode(Full.full()), as: UTF8.self)
        let variants = [
            canonical.replacingOccurrences(of: ",\"clockSynced\"", with: ", \"clockSynced\""),
            canonical.replacingOccurrences(of: "{\"bootID\"", with: "{\"zzz\":1,\"bootID\""),
            canonical.replacingOccurrences(of: "\"recordedBy\":\"staff:王\",", with: "\"recordedBy\":null,"),
            canonical.replacingOccurrences(of: "\"lane\":\"north-in\"", with: "\"lane\":\"north\\u002din\""),
            canonical.replacingOccurrences(of: "\"seq\":42", with: "\"seq\":42.0"),
            canonical.replacingOccurrences(of: "\"seq\":42", with: "\"seq\":042"),
            canonical.replacingOccurrences(of: "\"decision\":\"refer\"", with: "\"decision\":\"maybe\""),
            canonical + " ",
        ]
        for variant in variants {
            #expect(variant != canonical)
            #expect(Self.fast(Data(variant.utf8)) == nil, "\(variant)")
        }
        var badUTF8 = Data(canonical.utf8)
        let lane = try #require(badUTF8.range(of: Data("north-in".utf8)))
        badUTF8[lane.lowerBound] = 0xC3
        #expect(Self.fast(badUTF8) == nil)
        #expect((try? CheckpointJSON.decoder().decode(EntryRecord.self, from: badUTF8)) == nil, "not JSON either")
    }

    @Test("Every one-byte change of a canonical record is either left to the full parser or read exactly as it reads it")
    func mutationsAgree() throws {
        let bytes = try EntryRecordJSON.encode(Full.full())
        var generator = SplitMix64(seed: 3)
        let replacements: [UInt8] = Array("{}[],:\"\\/0123456789.-+eEtfnul ".utf8) + [0x00, 0x1F, 0x7F, 0x80, 0xC3, 0xFF]
        for index in bytes.indices {
            for _ in 0..<4 {
                var mutated = bytes
                mutated[index] = replacements[Int(generator.next() % UInt64(replacements.count))]
                Self.expectAgreement(mutated)
            }
            var shortened = bytes
            shortened.remove(at: index)
            Self.expectAgreement(shortened)
        }
    }

    @Test("A batch body as the uplink writes it is read as Foundation reads it; any other body is left to the full parser")
    func batchBodies() throws {
        let records = [Full.full(), Full.full(payload: "second")]
        var body = Data(#"{"gate":"#.utf8)
        body.append(try CheckpointJSON.encoder().encode("gate-1"))
        body.append(contentsOf: Array(#","records":["#.utf8))
        body.append(try EntryRecordJSON.encode(records[0]))
        body.append(UInt8(ascii: ","))
        body.append(try EntryRecordJSON.encode(records[1]))
        body.append(contentsOf: Array("]}".utf8))
        let fast = try #require(EntryRecordJSON.decodeBatch(body))
        #expect(fast == IngestBatch(gate: "gate-1", records: records))
        #expect(fast == (try CheckpointJSON.decoder().decode(IngestBatch.self, from: body)))
        #expect(EntryRecordJSON.decodeBatch(Data(#"{"gate":"g","records":[]}"#.utf8)) == IngestBatch(gate: "g", records: []))

        let foundation = try CheckpointJSON.encoder().encode(IngestBatch(gate: "gate-1", records: records))
        #expect(EntryRecordJSON.decodeBatch(foundation) == nil || EntryRecordJSON.decodeBatch(foundation) == fast,
                "Foundation's own encoding (keys sorted the same way) reads the same or is left alone")
        for broken in [#"{"records":[],"gate":"g"}"#, #"{"gate":"g","records":[],}"#, #"{"gate":"g","records":[]}x"#, #"{"gate":"g","records":[1]}"#] {
            #expect(EntryRecordJSON.decodeBatch(Data(broken.utf8)) == nil, "\(broken)")
        }
    }
}
