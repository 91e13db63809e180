import CentralServer
import CheckpointCore
import Foundation
import Testing

@Suite("Request bodies: decoding errors name the field")
struct RequestBodyReaderTests {
    func message(_ json: String) -> String {
        do {
            _ = try RequestBodyReader.decode(IngestBatch.self, from: Data(json.utf8))
            return "decoded"
        } catch let error as APIError {
            #expect(error.status == .badRequest)
            return error.message
        } catch {
            return "\(error)"
        }
    }

    @Test("Wrong types, missing fields, bad values and broken JSON each get a message naming what is wrong")
    func messagesNameTheField() {
        #expect(message(#"{"gate": 1, "records": []}"#).contains("`gate` has the wrong type (expected a string)"))
        #expect(message(#"{"gate": "g1"}"#).contains("missing field `records`"))
        #expect(message(#"{"gate": "g1", "records": [{"id": "x"}]}"#).contains("records[0].id"))
        #expect(message(#"{"gate": "g1", "records": 5}"#).contains("`records` has the wrong type"))
        #expect(message(#"{"gate": "g1", "#).contains("not valid JSON"))
        #expect(message("").contains("empty body"))
    }
}
