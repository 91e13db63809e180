import CheckpointCore
import Foundation
import Hummingbird

/// Every 4xx/5xx the central store sends: an HTTP status and an `APIErrorBody`
/// (`{"error": {"code": "…", "message": "…"}}`). `code` is stable and machine-readable;
/// `message` is for people and names the offending field where there is one.
public struct APIError: Error, HTTPResponseError, Sendable, CustomStringConvertible {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    /// Extra response headers (e.g. `WWW-Authenticate` on 401).
    public var headers: HTTPFields

    public init(_ status: HTTPResponse.Status, code: String, message: String, headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers
    }

    public var body: APIErrorBody { APIErrorBody(code: code, message: message) }

    public var description: String { "\(status.code) \(code): \(message)" }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try JSONResponse.make(body, status: status)
        response.headers.append(contentsOf: headers)
        return response
    }

    // MARK: The errors the API uses

    /// 400: the body is not JSON, a field has the wrong type, or a query parameter is invalid.
    public static func badRequest(_ message: String, code: String = "badRequest") -> APIError {
        APIError(.badRequest, code: code, message: message)
    }

    /// 401: no credential, a malformed one, or a wrong secret/token.
    public static func unauthorized(_ message: String) -> APIError {
        APIError(.unauthorized, code: "unauthorized", message: message,
                 headers: [.wwwAuthenticate: "Bearer realm=\"checkpoint-central\""])
    }

    /// 403: the credential is valid but not for this: unknown or revoked gate, another gate's records.
    public static func forbidden(_ message: String, code: String = "forbidden") -> APIError {
        APIError(.forbidden, code: code, message: message)
    }

    public static func notFound(_ message: String) -> APIError {
        APIError(.notFound, code: "notFound", message: message)
    }

    /// 409: the same (gate, journalEpoch, seq) already stored with a different id.
    public static func conflict(_ message: String, code: String = "conflict") -> APIError {
        APIError(.conflict, code: code, message: message)
    }

    /// 413: body or batch larger than `FieldLimits` allow.
    public static func tooLarge(_ message: String) -> APIError {
        APIError(.contentTooLarge, code: "tooLarge", message: message)
    }

    /// 415: a body that is not `application/json`.
    public static func unsupportedMediaType(_ message: String) -> APIError {
        APIError(.unsupportedMediaType, code: "unsupportedMediaType", message: message)
    }

    public static func internalError(_ message: String = "internal error; see the server log") -> APIError {
        APIError(.internalServerError, code: "internal", message: message)
    }

    public static func unavailable(_ message: String) -> APIError {
        APIError(.serviceUnavailable, code: "unavailable", message: message)
    }
}
