import CheckpointConfig
import Hummingbird
import Logging
import ServiceLifecycle

/// Serves `GateMetrics` as `GET /metrics` (Prometheus text format) on the loopback address of
/// `[metrics] listen`; every other path is 404. Until the graceful shutdown.
struct MetricsService: Service {
    let configuration: MetricsConfiguration
    let metrics: GateMetrics
    let logger: Logger

    func run() async throws {
        let router = Router()
        router.get("metrics") { [metrics] _, _ -> Response in
            let text = await metrics.scrape()
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        }
        let app = Application(router: router,
                              configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
                              onServerRunning: { [logger, configuration] _ in
                                  logger.info("metrics at http://\(configuration.host):\(configuration.port)/metrics")
                              },
                              logger: logger)
        try await app.runService()
    }
}
