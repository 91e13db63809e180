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

    @Test("Random timestamps with fractions and offsets read as Foundation's ISO 8601 parser reads them, to the millisecond")
    func parsingAgreesWithFoundation() throws {
        var generator = SplitMix64(seed: 2026)
        for _ in 0..<2000 {
            let ms = Int64(generator.next() % 8_000_000_000_000) - 1_000_000_000_000   // 1938…2223
            var text = CheckpointJSON.formatTimestamp(Date(timeIntervalSince1970: Double(ms) / 1000))
            switch generator.next() % 4 {
            case 0: text = String(text.dropLast(5)) + "Z"                                  // no fraction
            case 1: text = String(text.dropLast()) + "+08:00"                              // an offset
            case 2: text = String(text.dropLast(4)) + "5-05:30"                            // one digit, a negative offset
            default: break
            }
            let foundation = try Date.ISO8601FormatStyle(includingFractionalSeconds: text.contains(".")).parse(text)
            let ours = try #require(CheckpointJSON.parseTimestamp(text), "\(text) not read")
            #expect(Int64((ours.timeIntervalSince1970 * 1000).rounded()) == Int64((foundation.timeIntervalSince1970 * 1000).rounded()),
                    "\(text)")
        }
    }

    @Test("What RFC 3339 does not allow is not a timestamp: out-of-range fields, missing parts, trailing text")
    func malformed() {
        for text in ["", "2026-11-30", "2026-11-30T00:53:20", "2026-13-01T00:00:00Z", "2026-02-29T00:00:00Z", "2026-04-31T00:00:00Z",
                     "2026-11-30T24:00:00Z", "2026-11-30T00:60:00Z", "2026-11-30T00:00:60Z", "2026-11-30T00:00:00.Z",
                     "2026-11-30T00:00:00.1234567890Z", "2026-11-30T00:00:00+0800", "2026-11-30T00:00:00+24:00",
                     "2026-11-30T00:00:00ZZ", "2026-11-30 00:00:00Z", "２０26-11-30T00:00:00Z", "2026-1-30T00:00:00Z",
                     "2026-11-30T00:00:00.000Z\u{0}"] {
            #expect(CheckpointJSON.parseTimestamp(text) == nil, "\(text.debugDescription) read as a timestamp")
        }
        #expect(CheckpointJSON.parseTimestamp("2024-02-29t12:00:00.5z") == Date(timeIntervalSince1970: 1_709_208_000.5))
        #expect(CheckpointJSON.parseTimestamp("1969-12-31T23:59:59.999Z") == Date(timeIntervalSince1970: -0.001))
    }
}
