import Foundation
import Metrics
import Prometheus

/// The server's Prometheus metrics, recorded through swift-metrics with this instance's own
/// factory (so that several servers in one process, as in the tests, do not share counters)
/// and exposed at `GET /metrics` in the Prometheus text format.
///
/// Names: `checkpoint_http_requests_total{method,route,status}`,
/// `checkpoint_http_request_duration_seconds{method,route}` (histogram),
/// `checkpoint_ingest_records_total{outcome}` with outcome `stored`, `duplicate`, `quarantined`,
/// `rejected` (records in batches refused with 4xx), `checkpoint_ingest_batches_total{status}`,
/// `checkpoint_ingest_conflicts_total`.
public final class ServerMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    let factory: PrometheusMetricsFactory

    public init() {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
            .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
            .seconds(2), .seconds(5),
        ]
        self.registry = registry
        self.factory = factory
    }

    public enum IngestOutcome: String, Sendable, CaseIterable {
        case stored, duplicate, quarantined, rejected
    }

    public func recordRequest(method: String, route: String, status: Int, nanoseconds: Int64) {
        Counter(label: "checkpoint_http_requests_total",
                dimensions: [("method", method), ("route", route), ("status", String(status))],
                factory: factory).increment()
        Timer(label: "checkpoint_http_request_duration_seconds",
              dimensions: [("method", method), ("route", route)],
              factory: factory).recordNanoseconds(nanoseconds)
    }

    public func recordIngest(_ outcome: IngestOutcome, count: Int) {
        guard count > 0 else { return }
        Counter(label: "checkpoint_ingest_records_total", dimensions: [("outcome", outcome.rawValue)], factory: factory)
            .increment(by: count)
    }

    public func recordIngestBatch(status: Int) {
        Counter(label: "checkpoint_ingest_batches_total", dimensions: [("status", String(status))], factory: factory)
            .increment()
    }

    public func recordConflict() {
        Counter(label: "checkpoint_ingest_conflicts_total", dimensions: [], factory: factory).increment()
    }

    /// The Prometheus text exposition of every metric so far.
    public func exposition() -> String { registry.emitToString() }
}
