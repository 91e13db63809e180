import Foundation

/// A value bound to or read from SQL, independent of the engine. Booleans are INTEGER 0/1 in SQLite
/// and BOOLEAN in PostgreSQL; UUIDs are lowercase TEXT in SQLite and UUID in PostgreSQL.
enum SQLValue: Sendable, Hashable {
    case null
    case int(Int64)
    case double(Double)
    case text(String)
    case bool(Bool)
    case uuid(UUID)

    static func optional(_ value: String?) -> SQLValue { value.map { .text($0) } ?? .null }
    static func optional(_ value: Int64?) -> SQLValue { value.map { .int($0) } ?? .null }
    static func optional(_ value: Double?) -> SQLValue { value.map { .double($0) } ?? .null }
    static func optional(_ value: UUID?) -> SQLValue { value.map { .uuid($0) } ?? .null }
    static func optional(_ value: Bool?) -> SQLValue { value.map { .bool($0) } ?? .null }
    static func millis(_ date: Date) -> SQLValue { .int(SQLTime.millis(date)) }
    static func millis(_ date: Date?) -> SQLValue { date.map { .int(SQLTime.millis($0)) } ?? .null }
}

/// Times are stored as BIGINT milliseconds since 1970-01-01T00:00:00Z on both engines.
enum SQLTime {
    static func millis(_ date: Date) -> Int64 {
        let ms = (date.timeIntervalSince1970 * 1000).rounded()
        guard ms.isFinite, ms > -9.0e15, ms < 9.0e15 else { return ms < 0 ? -9_000_000_000_000_000 : 9_000_000_000_000_000 }
        return Int64(ms)
    }

    static func date(_ millis: Int64) -> Date { Date(timeIntervalSince1970: Double(millis) / 1000) }
}

/// A column the store expected is missing or has another type (a schema or engine mismatch).
struct SQLDecodingError: Error, CustomStringConvertible {
    let column: Int
    let expected: String
    let found: SQLValue
    var description: String { "column \(column): expected \(expected), found \(found)" }
}

/// One result row, read by column position.
struct SQLRow: Sendable {
    var values: [SQLValue]

    private func value(_ i: Int) -> SQLValue { i < values.count ? values[i] : .null }

    func isNull(_ i: Int) -> Bool { value(i) == .null }

    func int(_ i: Int) throws -> Int64 {
        switch value(i) {
        case .int(let v): return v
        case .bool(let b): return b ? 1 : 0
        case .double(let d) where d.rounded() == d && abs(d) < 9.0e18: return Int64(d)
        case let other: throw SQLDecodingError(column: i, expected: "integer", found: other)
        }
    }

    func optionalInt(_ i: Int) throws -> Int64? { isNull(i) ? nil : try int(i) }

    func double(_ i: Int) throws -> Double {
        switch value(i) {
        case .double(let d): return d
        case .int(let v): return Double(v)
        case let other: throw SQLDecodingError(column: i, expected: "double", found: other)
        }
    }

    func optionalDouble(_ i: Int) throws -> Double? { isNull(i) ? nil : try double(i) }

    func text(_ i: Int) throws -> String {
        switch value(i) {
        case .text(let s): return s
        case .uuid(let u): return u.uuidString.lowercased()
        case let other: throw SQLDecodingError(column: i, expected: "text", found: other)
        }
    }

    func optionalText(_ i: Int) throws -> String? { isNull(i) ? nil : try text(i) }

    func bool(_ i: Int) throws -> Bool {
        switch value(i) {
        case .bool(let b): return b
        case .int(let v): return v != 0
        case let other: throw SQLDecodingError(column: i, expected: "boolean", found: other)
        }
    }

    func optionalBool(_ i: Int) throws -> Bool? { isNull(i) ? nil : try bool(i) }

    func uuid(_ i: Int) throws -> UUID {
        switch value(i) {
        case .uuid(let u): return u
        case .text(let s):
            if let u = UUID(uuidString: s) { return u }
            throw SQLDecodingError(column: i, expected: "uuid", found: .text(s))
        case let other: throw SQLDecodingError(column: i, expected: "uuid", found: other)
        }
    }

    func optionalUUID(_ i: Int) throws -> UUID? { isNull(i) ? nil : try uuid(i) }

    func date(_ i: Int) throws -> Date { SQLTime.date(try int(i)) }

    func optionalDate(_ i: Int) throws -> Date? { try optionalInt(i).map(SQLTime.date) }

    /// A raw-value enum stored as text.
    func rawEnum<E: RawRepresentable>(_ i: Int, as type: E.Type) throws -> E where E.RawValue == String {
        let s = try text(i)
        guard let e = E(rawValue: s) else { throw SQLDecodingError(column: i, expected: "\(E.self)", found: .text(s)) }
        return e
    }
}
