import CheckpointCore
import Foundation
import Hummingbird

/// Reads a JSON request body: checks the content type (415), the declared and the actual length
/// against a limit (413), then decodes with `CheckpointJSON`, turning decoding failures into 400s
/// whose message names the field (`records[3].seq`).
public enum RequestBodyReader {
    /// 415 unless the request says `application/json` (parameters such as `charset=utf-8` allowed).
    public static func requireJSONContentType(_ request: Request) throws {
        guard let value = request.headers[.contentType] else {
            throw APIError.unsupportedMediaType("missing Content-Type (expected application/json)")
        }
        let mediaType = value.split(separator: ";", maxSplits: 1).first.map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        }
        guard mediaType == "application/json" else {
            throw APIError.unsupportedMediaType("Content-Type \(value) is not application/json")
        }
    }

    /// The body's bytes, at most `limit` of them; 413 as soon as the declared length or the bytes
    /// read exceed it (the rest is drained by the server, never buffered).
    public static func collect(_ request: Request, limit: Int) async throws -> Data {
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > limit {
            throw APIError.tooLarge("body of \(declared) bytes exceeds the limit of \(limit) bytes")
        }
        var data = Data()
        for try await buffer in request.body {
            guard data.count + buffer.readableBytes <= limit else {
                throw APIError.tooLarge("body exceeds the limit of \(limit) bytes")
            }
            data.append(contentsOf: buffer.readableBytesView)
        }
        return data
    }

    /// Content type, size limit, then decoding: one call for a JSON route (unknown fields are ignored:
    /// the gates' wire types, so that a newer gate can talk to an older store).
    public static func decodeJSON<T: Decodable>(_ type: T.Type, from request: Request, limit: Int) async throws -> T {
        try requireJSONContentType(request)
        let data = try await collect(request, limit: limit)
        return try decode(type, from: data)
    }

    /// `decodeJSON`, and then 400 `unknownField` naming every field `T` does not know (a misspelt
    /// optional field would otherwise be silently ignored). For the administration bodies, whose
    /// schemas say `additionalProperties: false`.
    public static func decodeStrictJSON<T: Codable>(_ type: T.Type, from request: Request, limit: Int) async throws -> T {
        try requireJSONContentType(request)
        let data = try await collect(request, limit: limit)
        let value = try decode(type, from: data)
        let unknown = (try? UnknownFields.paths(in: data, decodedAs: value)) ?? []
        guard unknown.isEmpty else {
            throw APIError.badRequest("unknown field\(unknown.count == 1 ? "" : "s") \(unknown.prefix(5).map { "`\($0)`" }.joined(separator: ", "))",
                                      code: "unknownField")
        }
        return value
    }

    /// Decodes with `CheckpointJSON`; every failure is a 400 naming the field where possible.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        guard !data.isEmpty else { throw APIError.badRequest("empty body (expected JSON)", code: "malformedJSON") }
        do {
            return try CheckpointJSON.decoder().decode(type, from: data)
        } catch let error as DecodingError {
            throw describe(error)
        }
    }

    /// A 400 for a decoding failure, with the coding path written as `records[3].temperature.celsius`.
    public static func describe(_ error: DecodingError) -> APIError {
        switch error {
        case .typeMismatch(let expected, let context):
            return .badRequest("field `\(path(context.codingPath))` has the wrong type (expected \(typeName(expected)))",
                               code: "wrongType")
        case .valueNotFound(let expected, let context):
            return .badRequest("field `\(path(context.codingPath))` is null (expected \(typeName(expected)))",
                               code: "missingField")
        case .keyNotFound(let key, let context):
            return .badRequest("missing field `\(path(context.codingPath + [key]))`", code: "missingField")
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                return .badRequest("body is not valid JSON", code: "malformedJSON")
            }
            return .badRequest("field `\(path(context.codingPath))` is invalid: \(context.debugDescription)",
                               code: "invalidValue")
        @unknown default:
            return .badRequest("body could not be decoded", code: "malformedJSON")
        }
    }

    static func path(_ codingPath: [any CodingKey]) -> String {
        var text = ""
        for key in codingPath {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return text.isEmpty ? "(body)" : text
    }

    static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "a boolean"
        case is Int.Type, is Int64.Type, is UInt64.Type, is Int32.Type: "an integer"
        case is Double.Type, is Float.Type: "a number"
        case is [Any].Type: "an array"
        default:
            String(describing: type).hasPrefix("Array") ? "an array"
                : String(describing: type).hasPrefix("Dictionary") ? "an object" : "\(type)"
        }
    }
}
