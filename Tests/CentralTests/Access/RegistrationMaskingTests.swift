import CentralServer
import CentralStore
import CheckpointCore
import Foundation
import Testing

/// The visitors' register over HTTP: limited to the caller's places and masked for roles without
/// identity rights, in JSON and CSV alike, like the ledgers.
@Suite("Visitors' register: scope and masking per role (real server on loopback, SQLite)")
struct RegistrationMaskingTests {
    static let registration = Registration(name: "张三丰", citizenNumber: "11010519491231002X", address: "北京市东城区某街1号",
                                           host: "李四 3-201")

    /// One visitor registered at g1 (cp1), and tokens of every role scoped to cp1's places.
    static func withRegistration(_ body: (ServerHarness, [Role: String]) async throws -> Void) async throws {
        try await ServerHarness.withSQLite { server in
            var record = Fixtures.record(gate: "g1", epoch: UUID(), seq: 1, decision: .refer, reason: .visitorRegistration)
            record.credential = Credential(kind: .idCard, payload: "hmac-of-the-citizen-number", symbology: .qr, lastFour: "002X",
                                           registration: Self.registration)
            #expect(try await server.ingest(IngestBatch(gate: "g1", records: [record]), as: "g1").status == 200)
            var tokens: [Role: String] = [:]
            for role in Role.allCases {
                tokens[role] = try await server.store.createAdminToken(label: "t-\(role.rawValue)", role: role,
                                                                       scope: ScopeMatrixTests.scopes[role] ?? nil, at: Date()).secret
            }
            try await body(server, tokens)
        }
    }

    static func list(_ server: ServerHarness, _ token: String?, query: String = "") async throws -> [StoredRegistration] {
        let reply = try await server.send(.GET, "/v1/registrations" + query, bearer: token)
        #expect(reply.status == 200)
        return try reply.decode(RegistrationsResponse.self).registrations
    }

    @Test("A community clerk sees the register of her places whole; checkpoint staff see it masked")
    func maskedForCheckpointStaff() async throws {
        try await Self.withRegistration { server, tokens in
            let whole = try await Self.list(server, tokens[.community])
            #expect(whole.map(\.name) == ["张三丰"])
            #expect(whole.first?.citizenNumber == "11010519491231002X")
            #expect(whole.first?.address == Self.registration.address)
            let masked = try #require(try await Self.list(server, tokens[.checkpointStaff]).first)
            #expect(masked.name == "张**")
            #expect(masked.citizenNumber == "110105***********X")
            #expect(masked.address == "***")
            #expect(masked.host == "***")
            #expect(masked.gate == "g1")
        }
    }

    @Test("The CSV export is masked the same way for checkpoint staff")
    func csvMasked() async throws {
        try await Self.withRegistration { server, tokens in
            let reply = try await server.send(.GET, "/v1/registrations?format=csv", bearer: tokens[.checkpointStaff])
            #expect(reply.status == 200)
            let text = String(decoding: reply.body, as: UTF8.self)
            #expect(text.contains("110105***********X"))
            #expect(!text.contains("11010519491231002X"))
            #expect(!text.contains("张三丰"))
        }
    }

    @Test("A place outside the caller's scope is 403; within it, another place's register is empty")
    func scoped() async throws {
        try await Self.withRegistration { server, tokens in
            let other = try await server.send(.GET, "/v1/registrations?level=community&id=c-elsewhere", bearer: tokens[.community])
            #expect(other.status == 403)
            #expect(try await Self.list(server, tokens[.community], query: "?level=gate&id=g2").isEmpty)
            #expect(try await Self.list(server, tokens[.districtAdmin], query: "?level=gate&id=g1").count == 1)
        }
    }
}
