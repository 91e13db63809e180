/// Maps every key path of a TOML text to the 1-based line where it is defined, because TOMLKit
/// reports positions only for syntax errors and semantic errors must name a line too.
///
/// Paths look like `horn.warmupMs`, `lane[1].relay.chip` (array-of-table elements 0-based).
/// Understands table headers, array-of-table headers, dotted and quoted keys, inline tables (their
/// keys get the line of their opening), multi-line strings and arrays; it runs only on text that
/// TOMLKit has already parsed, so it need not diagnose syntax.
public struct KeyLineIndex: Sendable {
    private(set) var lines: [String: Int] = [:]

    public init(text: String) {
        var arrayCounts: [String: Int] = [:]
        var prefix: [String] = []
        var multiline: String? = nil   // the closing delimiter of an open multi-line string
        var bracketDepth = 0           // open `[` of a multi-line array value
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = offset + 1
            var line = Substring(rawLine)
            if let closing = multiline {
                guard let r = line.range(of: closing) else { continue }
                multiline = nil
                line = line[r.upperBound...]
                bracketDepth += Self.bracketBalance(line)
                continue
            }
            if bracketDepth > 0 {
                bracketDepth += Self.bracketBalance(line)
                if bracketDepth < 0 { bracketDepth = 0 }
                continue
            }
            let trimmed = line.drop(while: { $0 == " " || $0 == "\t" })
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            if trimmed.hasPrefix("[[") {
                let name = Self.keyParts(Self.headerBody(trimmed.dropFirst(2), closing: "]]")).joined(separator: ".")
                let index = arrayCounts[name, default: 0]
                arrayCounts[name] = index + 1
                let path = "\(name)[\(index)]"
                prefix = [path]
                lines[path] = lineNumber
                lines[name] = lines[name] ?? lineNumber
                continue
            }
            if trimmed.hasPrefix("[") {
                let parts = Self.keyParts(Self.headerBody(trimmed.dropFirst(), closing: "]"))
                prefix = [Self.resolve(parts, arrayCounts: arrayCounts)]
                lines[prefix[0]] = lines[prefix[0]] ?? lineNumber
                continue
            }
            guard let eq = Self.assignmentEquals(trimmed) else { continue }
            let keyParts = Self.keyParts(trimmed[..<eq])
            var path = prefix
            for part in keyParts {
                path.append(part)
                let joined = path.joined(separator: ".")
                lines[joined] = lines[joined] ?? lineNumber
            }
            let value = trimmed[trimmed.index(after: eq)...].drop(while: { $0 == " " || $0 == "\t" })
            if value.hasPrefix("\"\"\"") || value.hasPrefix("'''") {
                let delim = String(value.prefix(3))
                if value.dropFirst(3).range(of: delim) == nil { multiline = delim }
            } else if value.hasPrefix("[") {
                bracketDepth = max(0, Self.bracketBalance(value))
            } else if value.hasPrefix("{") {
                // Inline table: its keys share this line.
                let base = path.joined(separator: ".")
                for key in Self.inlineKeys(value) { lines["\(base).\(key)"] = lines["\(base).\(key)"] ?? lineNumber }
            }
        }
    }

    /// The line of `path`, or of its nearest ancestor that has one.
    public func line(of path: String) -> Int? {
        var p = Substring(path)
        while true {
            if let l = lines[String(p)] { return l }
            guard let cut = p.lastIndex(where: { $0 == "." || $0 == "[" }) else { return nil }
            p = p[..<cut]
        }
    }

    /// A table header `[a.b]` refers into the latest element of any array of tables on its path.
    private static func resolve(_ parts: [String], arrayCounts: [String: Int]) -> String {
        var out: [String] = []
        for part in parts {
            let candidate = (out + [part]).joined(separator: ".")
            if let n = arrayCounts[candidate], n > 0 {
                out = ["\(candidate)[\(n - 1)]"]
            } else {
                out.append(part)
            }
        }
        return out.joined(separator: ".")
    }

    private static func headerBody(_ s: Substring, closing: String) -> Substring {
        guard let r = s.range(of: closing) else { return s }
        return s[..<r.lowerBound]
    }

    /// Splits `a."b.c".d` into `["a", "b.c", "d"]`.
    static func keyParts(_ s: Substring) -> [String] {
        var parts: [String] = []
        var current = ""
        var quote: Character? = nil
        for ch in s {
            if let q = quote {
                if ch == q { quote = nil } else { current.append(ch) }
            } else if ch == "\"" || ch == "'" {
                quote = ch
            } else if ch == "." {
                parts.append(current.trimmingSpaces())
                current = ""
            } else {
                current.append(ch)
            }
        }
        parts.append(current.trimmingSpaces())
        return parts
    }

    /// The `=` of a `key = value` line, outside quotes.
    private static func assignmentEquals(_ s: Substring) -> Substring.Index? {
        var quote: Character? = nil
        for i in s.indices {
            let ch = s[i]
            if let q = quote { if ch == q { quote = nil } }
            else if ch == "\"" || ch == "'" { quote = ch }
            else if ch == "=" { return i }
            else if ch == "#" { return nil }
        }
        return nil
    }

    private static func bracketBalance(_ s: Substring) -> Int {
        var depth = 0
        var quote: Character? = nil
        for ch in s {
            if let q = quote { if ch == q { quote = nil }; continue }
            switch ch {
            case "\"", "'": quote = ch
            case "[": depth += 1
            case "]": depth -= 1
            case "#": return depth
            default: break
            }
        }
        return depth
    }

    private static func inlineKeys(_ s: Substring) -> [String] {
        var keys: [String] = []
        var depth = 0
        var quote: Character? = nil
        var segmentStart = s.index(after: s.startIndex)
        for i in s.indices {
            let ch = s[i]
            if let q = quote { if ch == q { quote = nil }; continue }
            switch ch {
            case "\"", "'": quote = ch
            case "{", "[": depth += 1
            case "}", "]": depth -= 1
            case "=" where depth == 1:
                keys.append(keyParts(s[segmentStart..<i]).joined(separator: "."))
            case "," where depth == 1:
                segmentStart = s.index(after: i)
            default: break
            }
        }
        return keys
    }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
