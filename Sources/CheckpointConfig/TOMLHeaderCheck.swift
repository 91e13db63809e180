/// Finds table headers the TOML parser must not see.
///
/// TOMLKit's parser (toml++) takes it as given that the key of a table header (`[x]`, `[[x]]`)
/// starts with a key character or a quote. A header such as `[# comment` or a `[` at the end of a
/// line breaks that assumption: an assertion failure in a debug build, undefined behaviour in a
/// release build (found by the `config-gate` fuzz target). Such a header is a syntax error in any
/// case, so `ConfigDocument` reports it with its line before the text reaches the parser.
enum TOMLHeaderCheck {
    /// The 1-based line of the first table header whose key does not start with a bare-key
    /// character (`A-Z a-z 0-9 _ -`), a quote or `]`; nil when there is none. Lines inside
    /// multi-line strings are not headers.
    static func firstUnsafeHeaderLine(in text: String) -> Int? {
        var insideMultilineString: [UInt8]? = nil
        var lineNumber = 0
        for line in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            let bytes = Array(line)
            if insideMultilineString == nil, isUnsafeHeader(bytes) { return lineNumber }
            insideMultilineString = multilineState(after: bytes, startingIn: insideMultilineString)
        }
        return nil
    }

    private static func isBlank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }

    private static func isUnsafeHeader(_ line: [UInt8]) -> Bool {
        var i = 0
        while i < line.count, isBlank(line[i]) { i += 1 }
        guard i < line.count, line[i] == UInt8(ascii: "[") else { return false }
        i += 1
        while i < line.count, isBlank(line[i]) { i += 1 }
        if i < line.count, line[i] == UInt8(ascii: "[") {
            i += 1
            while i < line.count, isBlank(line[i]) { i += 1 }
        }
        guard i < line.count else { return true }
        let b = line[i]
        let startsKey = (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) || (0x30...0x39).contains(b)
            || b == UInt8(ascii: "_") || b == UInt8(ascii: "-") || b == UInt8(ascii: "\"") || b == UInt8(ascii: "'")
            || b == UInt8(ascii: "]")
        return !startsKey
    }

    /// The multi-line string delimiter (`"""` or `'''`) still open after `line`, if any.
    private static func multilineState(after line: [UInt8], startingIn open: [UInt8]?) -> [UInt8]? {
        var open = open
        var i = 0
        let basic: [UInt8] = [0x22, 0x22, 0x22], literal: [UInt8] = [0x27, 0x27, 0x27]
        while i + 3 <= line.count {
            let three = Array(line[i..<i + 3])
            if let delimiter = open {
                if three == delimiter { open = nil; i += 3; continue }
            } else if three == basic || three == literal {
                open = three
                i += 3
                continue
            } else if line[i] == UInt8(ascii: "#") {
                break
            }
            i += 1
        }
        return open
    }
}
