import Foundation

/// The one JSON spelling of the shared contracts, used by the journal, the uplink and the central
/// store. Dates are RFC 3339 UTC with milliseconds (`2026-11-24T08:30:00.125Z`); keys are the
/// Swift property names; UUIDs are lowercase-insensitive strings.
public enum CheckpointJSON {
    public static func encoder() -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        e.dateEncodingStrategy = .custom { date, encoder in
            var c = encoder.singleValueContainer()
            try c.encode(formatTimestamp(date))
        }
        return e
    }

    public static func decoder() -> JSONDecoder {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .custom { decoder in
            let c = try decoder.singleValueContainer()
            let s = try c.decode(String.self)
            guard let date = parseTimestamp(s) else {
                throw DecodingError.dataCorruptedError(in: c, debugDescription: "not an RFC 3339 timestamp: \(s)")
            }
            return date
        }
        return d
    }

    /// RFC 3339 in UTC with exactly three fractional digits: the date rounded to the nearest
    /// millisecond, so that a date of a whole millisecond (as the journal stores them) is written
    /// as that millisecond. (Foundation's `ISO8601FormatStyle` truncates, and about half of all
    /// whole-millisecond dates, held as binary fractions just below, came out one millisecond early.)
    public static func formatTimestamp(_ date: Date) -> String {
        let totalMs = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let ms = ((totalMs % 1000) + 1000) % 1000   // 0…999 also before 1970
        var time = time_t((totalMs - ms) / 1000)
        var parts = tm()
        gmtime_r(&time, &parts)
        func digits(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(digits(parts.tm_year + 1900, 4))-\(digits(parts.tm_mon + 1, 2))-\(digits(parts.tm_mday, 2))T"
            + "\(digits(parts.tm_hour, 2)):\(digits(parts.tm_min, 2)):\(digits(parts.tm_sec, 2)).\(digits(Int32(ms), 3))Z"
    }

    /// Parses RFC 3339 with or without fractional seconds, with `Z` or a numeric offset.
    public static func parseTimestamp(_ s: String) -> Date? {
        if let d = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(s) { return d }
        return try? Date.ISO8601FormatStyle().parse(s)
    }
}
