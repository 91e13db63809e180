import Foundation
import CheckpointCore
import Hummingbird
import Logging

/// Turns every error escaping a handler into an `APIErrorBody` response: `APIError`s as they are,
/// Hummingbird's own `HTTPError`s (e.g. 404 for an unknown route) with a code derived from the
/// status, anything else into a logged 500 that leaks no detail.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            if error.status.code >= 500 {
                context.logger.error("request failed", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            }
            return try error.response(from: request, context: context)
        } catch let error as HTTPError {
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
