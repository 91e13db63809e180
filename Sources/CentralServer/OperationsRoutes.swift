import Foundation
import CentralStore
import Hummingbird

/// Unauthenticated operational routes: the API document, Prometheus metrics, a health check.
/// (Bind the server to a private address or filter `/metrics` at the proxy if that matters.)
struct OperationsRoutes {
    let store: any CentralStorage
    let metrics: ServerMetrics
    let openAPIText: String?

    func register(on router: Router<CentralRequestContext>) {
        router.get("/openapi.yaml", use: openAPI)
        router.get("/metrics", use: prometheus)
        router.get("/healthz", use: health)
    }

    @Sendable func openAPI(_ request: Request, context: CentralRequestContext) async throws -> Response {
        guard let text = openAPIText else {
            throw APIError.unavailable("openapi.yaml was not found next to the executable (see docs/central-api.md)")
        }
        return Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    @Sendable func prometheus(_ request: Request, context: CentralRequestContext) async throws -> Response {
        Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(string: metrics.exposition())))
    }

    /// 200 with the engine, schema version and the durability settings read at open when the database
    /// answers a read (never the writer's turn: a long ingest does not make the check fail); 503
    /// otherwise, without the database's error text (it is in the log).
    @Sendable func health(_ request: Request, context: CentralRequestContext) async throws -> Response {
        do {
            let version = try await store.schemaVersion()
            return try JSONResponse.make(HealthStatus(status: "ok", engine: store.engine.rawValue, schemaVersion: version,
                                                      durability: store.durabilityAtOpen))
        } catch {
            context.logger.error("health check: database does not answer", metadata: ["error": "\(error)"])
            throw APIError.unavailable("database does not answer")
        }
    }
}
