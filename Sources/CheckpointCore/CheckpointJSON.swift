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

    /// RFC 3339 in UTC with exactly three fractional digits.
    public static func formatTimestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt))
    }

    /// Parses RFC 3339 with or without fractional seconds, with `Z` or a numeric offset.
    public static func parseTimestamp(_ s: String) -> Date? {
        if let d = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(s) { return d }
        return try? Date.ISO8601FormatStyle().parse(s)
    }
}
