import CheckpointCore
import Foundation
import Testing

@Suite("RFC 3339 timestamps of the wire format")
struct TimestampTests {
    @Test("Every whole millisecond is written as that millisecond and reads back as the same millisecond")
    func wholeMillisecondsRoundTrip() throws {
        let base: Int64 = 1_796_000_000_000   // 2026-11-30T00:53:20.000Z
        for k in Int64(0)..<3000 {
            let written = CheckpointJSON.formatTimestamp(Date(timeIntervalSince1970: Double(base + k) / 1000))
            let fraction = try #require(Int(written.dropLast().split(separator: ".").last ?? ""))
            #expect(fraction == Int(k % 1000), "\(base + k) ms written as \(written)")
            let read = try #require(CheckpointJSON.parseTimestamp(written))
            #expect(Int64((read.timeIntervalSince1970 * 1000).rounded()) == base + k)
        }
    }

    @Test("Timestamps are UTC with three digits, rounded to the nearest millisecond across a second and a leap day")
    func spelling() {
        #expect(CheckpointJSON.formatTimestamp(Date(timeIntervalSince1970: 1_796_000_000.001)) == "2026-11-30T00:53:20.001Z")
        #expect(CheckpointJSON.formatTimestamp(Date(timeIntervalSince1970: 1_796_000_000.9996)) == "2026-11-30T00:53:21.000Z")
        #expect(CheckpointJSON.formatTimestamp(Date(timeIntervalSince1970: 951_782_400)) == "2000-02-29T00:00:00.000Z")
        #expect(CheckpointJSON.formatTimestamp(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
    }
}
