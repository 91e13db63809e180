import CentralServer
import CentralStore
import CheckpointCore
import Foundation
import NIOHTTP1
import Testing

/// Every kind of bad ingest request, each against its own server: the right 4xx, an APIErrorBody,
/// and nothing stored.
@Suite("Bad ingest requests (real server on loopback, SQLite)")
struct BadIngestRequestTests {
    enum Case: String, CaseIterable, CustomTestStringConvertible {
        case malformedJSON, wrongTypeAtTopLevel, wrongTypeInARecord, missingFieldInARecord, oversizedBody, tooManyRecords
        case missingAuthorization, malformedCredential, wrongSecret, unknownGate, revokedGate
        case replayedSequenceNumbersWithOtherIDs, wrongContentType, missingContentType

        var testDescription: String { rawValue }

        var expectedStatus: Int {
            switch self {
            case .malformedJSON, .wrongTypeAtTopLevel, .wrongTypeInARecord, .missingFieldInARecord: 400
            case .oversizedBody, .tooManyRecords: 413
            // An unknown gate looks exactly like a wrong secret: no oracle of which gate ids exist.
            case .missingAuthorization, .malformedCredential, .wrongSecret, .unknownGate: 401
            case .revokedGate: 403
            case .replayedSequenceNumbersWithOtherIDs: 409
            case .wrongContentType, .missingContentType: 415
            }
        }

        /// Text the error message must contain (the field it names, where there is one).
        var messageMentions: String? {
            switch self {
            case .wrongTypeAtTopLevel: "`gate`"
            case .wrongTypeInARecord: "records[1].seq"
            case .missingFieldInARecord: "records[0].decision"
            case .revokedGate: "revoked"
            case .tooManyRecords: "\(FieldLimits.maxRecordsPerBatch)"
            default: nil
            }
        }
    }

    @Test("A bad ingest request gets its 4xx with an APIErrorBody and stores nothing", arguments: Case.allCases)
    func badRequestIsRefusedAndStoresNothing(_ badCase: Case) async throws {
        try await ServerHarness.withSQLite { server in
            let epoch = UUID()
            // Every case starts from three stored records, so "nothing stored" is a real comparison.
            let stored = Fixtures.batch(gate: "g1", epoch: epoch, count: 3)
            #expect(try await server.ingest(stored, as: "g1").status == 200)
            let before = try await server.storedCount(gate: "g1")

            let reply = try await send(badCase, to: server, epoch: epoch)

            #expect(reply.status == badCase.expectedStatus, "\(String(decoding: reply.body.prefix(300), as: UTF8.self))")
            let error = try reply.errorBody()
            #expect(!error.error.code.isEmpty)
            #expect(!error.error.message.isEmpty)
            if let mention = badCase.messageMentions {
                #expect(error.error.message.contains(mention), "message: \(error.error.message)")
            }
            #expect(try await server.storedCount(gate: "g1") == before)
        }
    }

    func send(_ badCase: Case, to server: ServerHarness, epoch: UUID) async throws -> ServerHarness.Reply {
        let fresh = Fixtures.batch(gate: "g1", epoch: epoch, firstSeq: 4, count: 3)
        let freshJSON = try CheckpointJSON.encoder().encode(fresh)
        let g1 = server.credentials["g1"]
        switch badCase {
        case .malformedJSON:
            return try await server.send(.POST, "/v1/ingest", bearer: g1, body: Data(#"{"gate": "g1", "records": ["#.utf8))
        case .wrongTypeAtTopLevel:
            return try await server.send(.POST, "/v1/ingest", bearer: g1, body: Data(#"{"gate": 17, "records": []}"#.utf8))
        case .wrongTypeInARecord:
            return try await server.send(.POST, "/v1/ingest", bearer: g1, body: try editedRecords(freshJSON) { records in
                records[1]["seq"] = "five"
            })
        case .missingFieldInARecord:
            return try await server.send(.POST, "/v1/ingest", bearer: g1, body: try editedRecords(freshJSON) { records in
                records[0].removeValue(forKey: "decision")
            })
        case .oversizedBody:
            var body = freshJSON
            body.append(Data(repeating: UInt8(ascii: " "), count: FieldLimits.maxIngestBodyBytes + 1 - body.count))
            return try await server.send(.POST, "/v1/ingest", bearer: g1, body: body)
        case .tooManyRecords:
            let batch = Fixtures.batch(gate: "g1", epoch: epoch, firstSeq: 4, count: FieldLimits.maxRecordsPerBatch + 1)
            return try await server.ingest(batch, as: "g1")
        case .missingAuthorization:
            return try await server.send(.POST, "/v1/ingest", bearer: nil, body: freshJSON)
        case .malformedCredential:
            return try await server.send(.POST, "/v1/ingest", bearer: "g1", body: freshJSON)
        case .wrongSecret:
            return try await server.send(.POST, "/v1/ingest", bearer: "g1:0123456789abcdef0123456789abcdef", body: freshJSON)
        case .unknownGate:
            let batch = Fixtures.batch(gate: "g9", epoch: epoch, firstSeq: 4, count: 3)
            return try await server.ingest(batch, as: "g9", bearer: "g9:0123456789abcdef0123456789abcdef")
        case .revokedGate:
            try await server.store.revokeGate("g1", at: Date())
            return try await server.send(.POST, "/v1/ingest", bearer: g1, body: freshJSON)
        case .replayedSequenceNumbersWithOtherIDs:
            // Seqs 1…3 again, but new record ids (and one new seq 4 that must not be stored either).
            let replay = Fixtures.batch(gate: "g1", epoch: epoch, firstSeq: 1, count: 4)
            return try await server.ingest(replay, as: "g1")
        case .wrongContentType:
            return try await server.send(.POST, "/v1/ingest", bearer: g1, contentType: "text/plain", body: freshJSON)
        case .missingContentType:
            return try await server.send(.POST, "/v1/ingest", bearer: g1, contentType: nil, body: freshJSON)
        }
    }

    /// The batch JSON with its `records` edited as plain JSON objects.
    func editedRecords(_ json: Data, _ edit: (inout [[String: Any]]) -> Void) throws -> Data {
        var object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        var records = try #require(object["records"] as? [[String: Any]])
        edit(&records)
        object["records"] = records
        return try JSONSerialization.data(withJSONObject: object)
    }
}
