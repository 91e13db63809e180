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

    /// Parses RFC 3339 (`2026-11-24T08:30:00.125Z`, `…T16:30:00+08:00`): `T` or `t`, seconds with
    /// or without 1–9 fractional digits, `Z`, `z` or a `±HH:MM` offset. Anything else — a field out
    /// of range (month 13, 30 February, hour 24, second 60), a missing part, trailing text — is nil.
    /// Written by hand: Foundation's `ISO8601FormatStyle` cost the central store a large share of
    /// its ingest CPU (two timestamps a record).
    public static func parseTimestamp(_ s: String) -> Date? {
        var utf8 = s.utf8[...]
        func number(_ width: Int) -> Int? {
            guard utf8.count >= width else { return nil }
            var value = 0
            for byte in utf8.prefix(width) {
                guard (0x30...0x39).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            utf8 = utf8.dropFirst(width)
            return value
        }
        /// Consumes the next byte if it is `a` or `b` (no array: this runs twice a record at ingest).
        func take(_ a: UInt8, or b: UInt8? = nil) -> UInt8? {
            guard let byte = utf8.first, byte == a || byte == b else { return nil }
            utf8 = utf8.dropFirst()
            return byte
        }
        guard let year = number(4), take(UInt8(ascii: "-")) != nil, let month = number(2), take(UInt8(ascii: "-")) != nil,
              let day = number(2), take(UInt8(ascii: "T"), or: UInt8(ascii: "t")) != nil,
              let hour = number(2), take(UInt8(ascii: ":")) != nil, let minute = number(2), take(UInt8(ascii: ":")) != nil,
              let second = number(2) else { return nil }
        var nanoseconds = 0
        if take(UInt8(ascii: ".")) != nil {
            var count = 0
            while let byte = utf8.first, (0x30...0x39).contains(byte) {
                count += 1
                guard count <= 9 else { return nil }
                nanoseconds = nanoseconds * 10 + Int(byte - 0x30)
                utf8 = utf8.dropFirst()
            }
            guard count > 0 else { return nil }
            for _ in count..<9 { nanoseconds *= 10 }
        }
        var offsetSeconds = 0
        switch take(UInt8(ascii: "Z"), or: UInt8(ascii: "z")) ?? take(UInt8(ascii: "+"), or: UInt8(ascii: "-")) {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            break
        case let sign?:
            guard let h = number(2), take(UInt8(ascii: ":")) != nil, let m = number(2), h < 24, m < 60 else { return nil }
            offsetSeconds = (h * 3600 + m * 60) * (sign == UInt8(ascii: "-") ? -1 : 1)
        case nil:
            return nil
        }
        guard utf8.isEmpty, (1...12).contains(month), hour < 24, minute < 60, second < 60 else { return nil }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let daysInMonth = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        guard (1...daysInMonth).contains(day) else { return nil }
        // Days since 1970-01-01 of a proleptic Gregorian date (the "days from civil" count).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        return Date(timeIntervalSince1970: Double(seconds) + Double(nanoseconds) / 1e9)
    }
}
