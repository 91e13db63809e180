import Foundation
import TOMLKit

/// A table inside a `ConfigDocument`, with typed accessors whose errors name file, line and key.
///
/// Readers of a section call the accessors for the keys they know, then `rejectUnknownKeys` with
/// the same set, so a misspelt key is an error rather than a silently ignored default.
// @unchecked: the TOMLKit table it wraps is never mutated after parsing.
public struct ConfigTable: @unchecked Sendable {
    public let document: ConfigDocument
    let table: TOMLTable
    /// This table's key path (empty for the root).
    public let path: String

    init(document: ConfigDocument, table: TOMLTable, path: String) {
        self.document = document
        self.table = table
        self.path = path
    }

    /// The keys present in this table, in file order where TOMLKit keeps it.
    public var keys: [String] { table.keys }

    public func contains(_ key: String) -> Bool { table[key] != nil }

    /// The full path of `key` in this table.
    public func path(of key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// An error about `key` in this table.
    public func error(_ key: String, _ message: String) -> ConfigError {
        document.error(at: path(of: key), message)
    }

    /// An error about this table itself.
    public func error(_ message: String) -> ConfigError {
        document.error(at: path, message)
    }

    // MARK: Scalars

    public func string(_ key: String) throws(ConfigError) -> String? {
        guard let v = table[key] else { return nil }
        guard let s = v.string else { throw mismatch(key, "a string", v) }
        return s
    }

    public func string(_ key: String, default value: String) throws(ConfigError) -> String {
        try string(key) ?? value
    }

    public func requiredString(_ key: String) throws(ConfigError) -> String {
        guard let s = try string(key) else { throw error(key, "required key is missing") }
        return s
    }

    public func int(_ key: String, in range: ClosedRange<Int>? = nil) throws(ConfigError) -> Int? {
        guard let v = table[key] else { return nil }
        guard let i = v.int else { throw mismatch(key, "an integer", v) }
        if let range, !range.contains(i) { throw error(key, "\(i) is outside \(range.lowerBound)…\(range.upperBound)") }
        return i
    }

    public func int(_ key: String, default value: Int, in range: ClosedRange<Int>? = nil) throws(ConfigError) -> Int {
        try int(key, in: range) ?? value
    }

    public func requiredInt(_ key: String, in range: ClosedRange<Int>? = nil) throws(ConfigError) -> Int {
        guard let i = try int(key, in: range) else { throw error(key, "required key is missing") }
        return i
    }

    /// A number; integers are accepted where a float is expected (`offset = 0` means 0.0).
    public func double(_ key: String, in range: ClosedRange<Double>? = nil) throws(ConfigError) -> Double? {
        guard let v = table[key] else { return nil }
        let d: Double
        if let x = v.double { d = x } else if let i = v.int { d = Double(i) } else { throw mismatch(key, "a number", v) }
        guard d.isFinite else { throw error(key, "must be a finite number") }
        if let range, !range.contains(d) { throw error(key, "\(d) is outside \(range.lowerBound)…\(range.upperBound)") }
        return d
    }

    public func double(_ key: String, default value: Double, in range: ClosedRange<Double>? = nil) throws(ConfigError) -> Double {
        try double(key, in: range) ?? value
    }

    public func requiredDouble(_ key: String, in range: ClosedRange<Double>? = nil) throws(ConfigError) -> Double {
        guard let d = try double(key, in: range) else { throw error(key, "required key is missing") }
        return d
    }

    public func bool(_ key: String) throws(ConfigError) -> Bool? {
        guard let v = table[key] else { return nil }
        guard let b = v.bool else { throw mismatch(key, "true or false", v) }
        return b
    }

    public func bool(_ key: String, default value: Bool) throws(ConfigError) -> Bool {
        try bool(key) ?? value
    }

    /// A string that must be one of `E`'s raw values.
    public func enumeration<E: RawRepresentable & CaseIterable>(_ key: String, _ type: E.Type) throws(ConfigError) -> E?
    where E.RawValue == String {
        guard let s = try string(key) else { return nil }
        guard let e = E(rawValue: s) else {
            throw error(key, "\"\(s)\" is not one of \(E.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))")
        }
        return e
    }

    // MARK: Arrays and tables

    public func strings(_ key: String) throws(ConfigError) -> [String]? {
        guard let v = table[key] else { return nil }
        guard let a = v.array else { throw mismatch(key, "an array of strings", v) }
        var out: [String] = []
        for (i, element) in a.enumerated() {
            guard let s = element.string else { throw error("\(key)[\(i)]", "expected a string, found \(element.type)") }
            out.append(s)
        }
        return out
    }

    public func ints(_ key: String) throws(ConfigError) -> [Int]? {
        guard let v = table[key] else { return nil }
        guard let a = v.array else { throw mismatch(key, "an array of integers", v) }
        var out: [Int] = []
        for (i, element) in a.enumerated() {
            guard let n = element.int else { throw error("\(key)[\(i)]", "expected an integer, found \(element.type)") }
            out.append(n)
        }
        return out
    }

    /// A sub-table (`[a.b]` or an inline table), nil if absent.
    public func table(_ key: String) throws(ConfigError) -> ConfigTable? {
        guard let v = table[key] else { return nil }
        guard let t = v.table else { throw mismatch(key, "a table", v) }
        return ConfigTable(document: document, table: t, path: path(of: key))
    }

    /// An array of tables (`[[lane]]`), empty if absent.
    public func tables(_ key: String) throws(ConfigError) -> [ConfigTable] {
        guard let v = table[key] else { return [] }
        guard let a = v.array else { throw mismatch(key, "an array of tables ([[\(key)]])", v) }
        var out: [ConfigTable] = []
        for (i, element) in a.enumerated() {
            guard let t = element.table else { throw error("\(key)[\(i)]", "expected a table, found \(element.type)") }
            out.append(ConfigTable(document: document, table: t, path: path(of: "\(key)[\(i)]")))
        }
        return out
    }

    /// Throws for the first key in this table that is not in `known` (a typo must not pass silently).
    public func rejectUnknownKeys(_ known: Set<String>) throws(ConfigError) {
        for key in keys where !known.contains(key) {
            let suggestion = known.min(by: { editDistance($0, key) < editDistance($1, key) })
                .flatMap { editDistance($0, key) <= 2 ? " (did you mean \"\($0)\"?)" : nil } ?? ""
            throw error(key, "unknown key\(suggestion)")
        }
    }

    private func mismatch(_ key: String, _ expected: String, _ found: TOMLValueConvertible) -> ConfigError {
        error(key, "expected \(expected), found \(describe(found))")
    }

    private func describe(_ v: TOMLValueConvertible) -> String {
        switch v.type {
        case .string: return "a string"
        case .int: return "an integer"
        case .double: return "a float"
        case .bool: return "a boolean"
        case .table: return "a table"
        case .array: return "an array"
        default: return "a \(v.type)"
        }
    }
}

/// Levenshtein distance, for "did you mean" hints.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    for i in 1...a.count {
        var current = [i] + Array(repeating: 0, count: b.count)
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        previous = current
    }
    return previous[b.count]
}
