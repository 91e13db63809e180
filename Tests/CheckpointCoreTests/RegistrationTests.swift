import CheckpointCore
import Foundation
import Testing

@Suite("ID card credentials and registrations in the entry record")
struct RegistrationTests {
    func record(_ registration: Registration?) -> EntryRecord {
        var r = sampleRecord()
        r.credential = Credential(kind: .idCard, payload: String(repeating: "ab", count: 32), symbology: .unknown, lastFour: "123X",
                                  validUntil: "20350101", registration: registration)
        r.reason = .visitorRegistration
        return r
    }

    @Test("An idCard credential with a registration round-trips through the record's JSON")
    func roundTrip() throws {
        let r = record(Registration(name: "李秀英", citizenNumber: "640104194508120029", address: "银川市", host: "302室"))
        let decoded = try CheckpointJSON.decoder().decode(EntryRecord.self, from: try CheckpointJSON.encoder().encode(r))
        #expect(decoded == r)
        #expect(r.violations().isEmpty)
    }

    @Test("A registration with an oversized field or a number that is not 18 characters is a violation (quarantined at the store)")
    func violations() {
        #expect(!record(Registration(name: String(repeating: "名", count: 200), citizenNumber: "640104194508120029", address: "x")).violations().isEmpty)
        #expect(!record(Registration(name: "李", citizenNumber: "6401", address: "x")).violations().isEmpty)
        #expect(!record(Registration(name: "", citizenNumber: "640104194508120029", address: "x")).violations().isEmpty)
    }

    @Test("A registration prints without its fields")
    func redacted() {
        #expect("\(Registration(name: "李秀英", citizenNumber: "640104194508120029", address: "银川市"))" == "registration (redacted)")
    }
}
