import CentralStore
import CheckpointCore
import Foundation
import Hummingbird

/// Typed access to a request's query string; every malformed value is a 400 naming the parameter.
/// Values are percent-decoded; `+` is a literal plus (encode a space as `%20`).
struct QueryParameters {
    let values: [String: String]

    init(_ request: Request) {
        var values: [String: String] = [:]
        for (key, value) in request.uri.queryParameters { values[String(key)] = String(value) }
        self.values = values
    }

    func string(_ name: String) -> String? {
        guard let value = values[name], !value.isEmpty else { return nil }
        return value
    }

    func requiredString(_ name: String) throws -> String {
        guard let value = string(name) else { throw APIError.badRequest("missing query parameter `\(name)`", code: "missingParameter") }
        return value
    }

    /// An integer within `range`; nil if absent.
    func integer(_ name: String, in range: ClosedRange<Int64>) throws -> Int64? {
        guard let text = string(name) else { return nil }
        guard let value = Int64(text), range.contains(value) else {
            throw APIError.badRequest("query parameter `\(name)` must be an integer in \(range.lowerBound)…\(range.upperBound)",
                                      code: "invalidParameter")
        }
        return value
    }

    /// An RFC 3339 time (`2026-11-24T08:00:00Z`, `2026-11-24T16:00:00+08:00`); nil if absent.
    func time(_ name: String) throws -> Date? {
        guard let text = string(name) else { return nil }
        guard let date = CheckpointJSON.parseTimestamp(text) else {
            throw APIError.badRequest("query parameter `\(name)` must be an RFC 3339 time such as 2026-11-24T08:00:00Z",
                                      code: "invalidParameter")
        }
        return date
    }

    /// `from` and `to` (half-open); defaults: `to` = now + 1 h (gate clocks run a little ahead),
    /// `from` = `to` − 25 h. 400 if `from` ≥ `to`.
    func timeRange(now: Date) throws -> TimeRange {
        let to = try time("to") ?? now.addingTimeInterval(3600)
        let from = try time("from") ?? to.addingTimeInterval(-25 * 3600)
        guard from < to else { throw APIError.badRequest("`from` must be before `to`", code: "invalidParameter") }
        return TimeRange(from: from, to: to)
    }

    /// `from`/`to` only if at least one is given.
    func optionalTimeRange(now: Date) throws -> TimeRange? {
        guard string("from") != nil || string("to") != nil else { return nil }
        let to = try time("to") ?? now.addingTimeInterval(3600)
        let from = try time("from") ?? Date(timeIntervalSince1970: 0)
        guard from < to else { throw APIError.badRequest("`from` must be before `to`", code: "invalidParameter") }
        return TimeRange(from: from, to: to)
    }

    /// A comma-separated list of raw values of `E` (e.g. `decision=refuse,refer`); nil if absent.
    func enumSet<E: RawRepresentable & Hashable & CaseIterable>(_ name: String, of type: E.Type) throws -> Set<E>?
    where E.RawValue == String {
        guard let text = string(name) else { return nil }
        var result = Set<E>()
        for part in text.split(separator: ",") {
            guard let value = E(rawValue: String(part)) else {
                let allowed = E.allCases.map(\.rawValue).joined(separator: ", ")
                throw APIError.badRequest("query parameter `\(name)`: `\(part)` is not one of \(allowed)", code: "invalidParameter")
            }
            result.insert(value)
        }
        return result
    }

    /// `level` + `id` as a place scope, both or neither.
    func placeScope() throws -> PlaceScope? {
        let level = try enumSet("level", of: PlaceLevel.self)
        let id = string("id")
        switch (level, id) {
        case (nil, nil): return nil
        case (let levels?, let id?):
            if levels.count == 1, let level = levels.first { return try Self.scope(level: level.rawValue, id: id) }
            fallthrough
        default:
            throw APIError.badRequest("give both `level` (one of street, community, checkpoint, gate) and `id`, or neither",
                                      code: "invalidParameter")
        }
    }

    static func scope(level: String, id: String) throws -> PlaceScope {
        guard let placeLevel = PlaceLevel(rawValue: level) else {
            throw APIError.badRequest("`\(level)` is not a ledger level (street, community, checkpoint, gate)", code: "invalidParameter")
        }
        guard FieldLimits.isValidIdentifier(id) else {
            throw APIError.badRequest("`\(id)` is not a valid identifier", code: "invalidParameter")
        }
        return PlaceScope(level: placeLevel, id: id)
    }
}
