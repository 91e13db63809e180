import Foundation
import Testing
@testable import CheckpointCore

@Suite("UUIDv7")
struct UUIDv7Tests {
    @Test("A new id has version 7, the RFC 9562 variant and the creation millisecond")
    func versionVariantAndTimestamp() throws {
        let date = Date(timeIntervalSince1970: 1_764_000_000.123)
        let id = UUIDv7Generator().make(at: date)
        let bytes = UUIDv7.bytes(of: id)
        #expect(bytes[6] >> 4 == 7)
        #expect(bytes[8] >> 6 == 0b10)
        let stamp = try #require(UUIDv7.timestamp(of: id))
        #expect(abs(stamp.timeIntervalSince1970 - 1_764_000_000.123) < 0.001)
    }

    @Test("Ids made in the same millisecond are strictly increasing")
    func monotonicWithinMillisecond() {
        let generator = UUIDv7Generator()
        let date = Date()
        let ids = (0..<1000).map { _ in generator.make(at: date) }
        let strings = ids.map { $0.uuidString }
        #expect(strings == strings.sorted())
        #expect(Set(strings).count == 1000)
        #expect(ids.allSatisfy(UUIDv7.isVersion7))
    }

    @Test("A wall clock that steps back does not make ids go backwards")
    func clockStepBack() {
        let generator = UUIDv7Generator()
        let a = generator.make(at: Date(timeIntervalSince1970: 2_000_000_000))
        let b = generator.make(at: Date(timeIntervalSince1970: 1_000_000_000))
        #expect(a.uuidString < b.uuidString)
    }

    @Test("A version 4 UUID is not taken for version 7")
    func rejectsV4() {
        #expect(!UUIDv7.isVersion7(UUID()))
    }
}
