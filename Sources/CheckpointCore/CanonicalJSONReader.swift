/// Reads JSON written in the one canonical form `EntryRecordJSON.encode` writes: no whitespace,
/// members in a fixed order, strings with only that encoder's escapes. Every method returns nil
/// (and the caller gives up) at the first byte that is not exactly what it expects; it never
/// accepts a text a standard JSON parser would refuse, and it decodes what it accepts to the same
/// values `CheckpointJSON.decoder()` does (checked by `EntryRecordJSONTests` and the ingest fuzz
/// target).
struct CanonicalJSONReader {
    private let bytes: UnsafeRawBufferPointer
    private(set) var offset = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    var atEnd: Bool { offset == bytes.count }

    /// Consumes `byte` if it is next.
    mutating func take(_ byte: UInt8) -> Bool {
        guard offset < bytes.count, bytes[offset] == byte else { return false }
        offset += 1
        return true
    }

    /// Consumes `"name":` (a member's key) if it is next; `,` before it unless `first`.
    mutating func key(_ name: StaticString, first: Bool = false) -> Bool {
        let start = offset
        if !first, !take(UInt8(ascii: ",")) { return false }
        guard take(UInt8(ascii: "\"")) else { offset = start; return false }
        let matched = name.withUTF8Buffer { name -> Bool in
            guard bytes.count - offset >= name.count + 2 else { return false }
            for (index, byte) in name.enumerated() where bytes[offset + index] != byte { return false }
            guard bytes[offset + name.count] == UInt8(ascii: "\""), bytes[offset + name.count + 1] == UInt8(ascii: ":") else { return false }
            offset += name.count + 2
            return true
        }
        if !matched { offset = start }
        return matched
    }

    /// A JSON string: valid UTF-8, no raw control bytes, escapes `\" \\ \/ \b \f \n \r \t \u00XX`
    /// only (any other `\u` gives up).
    mutating func string() -> String? {
        guard take(UInt8(ascii: "\"")) else { return nil }
        let start = offset
        var plain = true
        while offset < bytes.count {
            let byte = bytes[offset]
            if byte == UInt8(ascii: "\"") {
                let end = offset
                offset += 1
                let slice = UnsafeRawBufferPointer(rebasing: bytes[start..<end])
                return plain ? String(validating: slice, as: UTF8.self) : unescape(slice)
            }
            if byte < 0x20 { return nil }
            if byte == UInt8(ascii: "\\") {
                plain = false
                offset += 2
                continue
            }
            offset += 1
        }
        return nil
    }

    private func unescape(_ slice: UnsafeRawBufferPointer) -> String? {
        var out: [UInt8] = []
        out.reserveCapacity(slice.count)
        var index = 0
        while index < slice.count {
            let byte = slice[index]
            guard byte == UInt8(ascii: "\\") else {
                out.append(byte)
                index += 1
                continue
            }
            guard index + 1 < slice.count else { return nil }
            switch slice[index + 1] {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                // Only the encoder's \u00XX (a control character); anything else is left to the full parser.
                guard index + 5 < slice.count, slice[index + 2] == UInt8(ascii: "0"), slice[index + 3] == UInt8(ascii: "0"),
                      let high = Self.hexValue(slice[index + 4]), let low = Self.hexValue(slice[index + 5]),
                      high < 2 else { return nil }
                out.append(high << 4 | low)
                index += 6
                continue
            default: return nil
            }
            index += 2
        }
        return String(validating: out, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// `true` or `false`.
    mutating func bool() -> Bool? {
        if literal("true") { return true }
        if literal("false") { return false }
        return nil
    }

    private mutating func literal(_ word: StaticString) -> Bool {
        word.withUTF8Buffer { word in
            guard bytes.count - offset >= word.count else { return false }
            for (index, byte) in word.enumerated() where bytes[offset + index] != byte { return false }
            offset += word.count
            return true
        }
    }

    /// A JSON integer (`-?(0|[1-9][0-9]*)`) that fits an Int64.
    mutating func int64() -> Int64? {
        let negative = take(UInt8(ascii: "-"))
        guard let magnitude = digits(), let value = negative
                ? (magnitude <= UInt64(Int64.max) + 1 ? (magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)) : nil)
                : (magnitude <= UInt64(Int64.max) ? Int64(magnitude) : nil) else { return nil }
        return endsNumber() ? value : nil
    }

    /// A JSON integer without sign that fits a UInt64.
    mutating func uint64() -> UInt64? {
        guard let value = digits(), endsNumber() else { return nil }
        return value
    }

    /// `0|[1-9][0-9]*` as a UInt64; nil on overflow.
    private mutating func digits() -> UInt64? {
        guard offset < bytes.count, Self.isDigit(bytes[offset]) else { return nil }
        if bytes[offset] == UInt8(ascii: "0") {
            offset += 1
            return 0
        }
        var value: UInt64 = 0
        while offset < bytes.count, Self.isDigit(bytes[offset]) {
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(UInt64(bytes[offset] - UInt8(ascii: "0")))
            guard !o1, !o2 else { return nil }
            value = sum
            offset += 1
        }
        return value
    }

    /// An integer is over only where no fraction or exponent follows (those are left to the full parser).
    private func endsNumber() -> Bool {
        guard offset < bytes.count else { return true }
        let next = bytes[offset]
        return next != UInt8(ascii: ".") && next != UInt8(ascii: "e") && next != UInt8(ascii: "E") && !Self.isDigit(next)
    }

    /// A JSON number (`-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`) as the nearest Double.
    mutating func double() -> Double? {
        let start = offset
        _ = take(UInt8(ascii: "-"))
        guard offset < bytes.count, Self.isDigit(bytes[offset]) else { return nil }
        if bytes[offset] == UInt8(ascii: "0") { offset += 1 } else { skipDigits() }
        if take(UInt8(ascii: ".")) {
            guard offset < bytes.count, Self.isDigit(bytes[offset]) else { return nil }
            skipDigits()
        }
        if take(UInt8(ascii: "e")) || take(UInt8(ascii: "E")) {
            if !take(UInt8(ascii: "+")) { _ = take(UInt8(ascii: "-")) }
            guard offset < bytes.count, Self.isDigit(bytes[offset]) else { return nil }
            skipDigits()
        }
        guard offset - start <= 40, let text = String(validating: UnsafeRawBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self),
              let value = Double(text), value.isFinite else { return nil }
        return value
    }

    private mutating func skipDigits() {
        while offset < bytes.count, Self.isDigit(bytes[offset]) { offset += 1 }
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}
