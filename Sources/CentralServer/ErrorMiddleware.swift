import Foundation
import CheckpointCore
import Hummingbird
import Logging

/// Turns every error escaping a handler into an `APIErrorBody` response: `APIError`s as they are,
/// Hummingbird's own `HTTPError`s (e.g. 404 for an unknown route) with a code derived from the
/// status, anything else into a logged 500 that leaks no detail. A path the router serves with other
/// methods answers 405 `methodNotAllowed` with `Allow`, not 404.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    var routes = RouteTable()

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            if error.status.code >= 500 {
                context.logger.error("request failed", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            }
            return try error.response(from: request, context: context)
        } catch let error as HTTPError {
            if error.status == .notFound {
                let allowed = routes.methods(for: request.uri.path)
                if !allowed.isEmpty, !allowed.contains(request.method.rawValue) {
                    return try APIError(.methodNotAllowed, code: "methodNotAllowed",
                                        message: "\(request.method) is not served for \(request.uri.path); allowed: \(allowed.joined(separator: ", "))",
                                        headers: [.allow: allowed.joined(separator: ", ")])
                        .response(from: request, context: context)
                }
            }
            let code = error.status == .notFound ? "notFound" : "http\(error.status.code)"
            let message = error.body ?? (error.status == .notFound
                ? "no route for \(request.method) \(request.uri.path)" : error.status.reasonPhrase)
            return try APIError(error.status, code: code, message: message, headers: error.headers)
                .response(from: request, context: context)
        } catch {
            context.logger.error("request failed", metadata: ["error": "\(String(reflecting: error))", "path": "\(request.uri.path)"])
            return try APIError.internalError().response(from: request, context: context)
        }
    }
}
