import AsyncHTTPClient
import CentralStore
import CheckpointCore
import Foundation
import Logging
import NIOCore
import ServiceLifecycle

/// Forwards alerts to the district's webhook (`WebhookConfiguration`), until graceful shutdown.
/// Woken by every ingest that may have raised alerts and every `pollInterval`, it queues the new alerts
/// of the configured kinds in the delivery log (`CentralStorage.enqueueWebhookDeliveries`) and sends
/// each due delivery, one at a time in alert order: `POST` of `{"delivery": id, "alert": StoredAlert}`
/// (JSON, payload masked unless `includeIdentity`) with `WebhookSignature`'s headers. A 2xx answer
/// marks it delivered (never sent again); anything else is retried as `retry` says, then `failed`.
/// Redirects are not followed (an answer 3xx is a failure). A store error is logged and the round tried
/// again at the next wake.
public struct WebhookService: Service {
    let store: any CentralStorage
    let configuration: WebhookConfiguration
    let feed: AlertFeed
    let logger: Logger
    let now: @Sendable () -> Date

    public init(store: any CentralStorage, configuration: WebhookConfiguration, feed: AlertFeed, logger: Logger,
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.configuration = configuration
        self.feed = feed
        self.logger = logger
        self.now = now
    }

    /// The JSON body of one delivery.
    struct Body: Codable, Sendable {
        var delivery: Int64
        var alert: StoredAlert
    }

    /// Makes the store know the endpoint before any alert could be missed: an endpoint seen for the
    /// first time gets the alerts raised after this call (not the history). `run` does it too.
    public func registerEndpoint() async throws {
        _ = try await store.enqueueWebhookDeliveries(url: configuration.url.absoluteString, kinds: configuration.kinds, at: now())
    }

    public func run() async throws {
        var clientConfiguration = HTTPClient.Configuration(redirectConfiguration: .disallow)
        clientConfiguration.timeout = .init(connect: .init(configuration.timeout), read: .init(configuration.timeout))
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: clientConfiguration)
        let wakes = feed.subscribe(keepAlive: configuration.pollInterval)
        logger.notice("webhook on", metadata: ["url": "\(configuration.url.absoluteString)"])
        try? await cancelWhenGracefulShutdown {
            await round(client)
            for await _ in wakes {
                if Task.isCancelled { break }
                await round(client)
            }
        }
        try? await client.shutdown()
    }

    /// Queues new alerts, then sends every due delivery.
    func round(_ client: HTTPClient) async {
        let url = configuration.url.absoluteString
        do {
            _ = try await store.enqueueWebhookDeliveries(url: url, kinds: configuration.kinds, at: now())
            while !Task.isCancelled {
                let due = try await store.dueWebhookDeliveries(url: url, now: now(), limit: 100)
                for item in due where !Task.isCancelled { try await deliver(item, client) }
                if due.count < 100 { break }
            }
        } catch {
            logger.error("webhook round failed", metadata: ["error": "\(error)"])
        }
    }

    /// One attempt of one delivery, recorded in the log.
    func deliver(_ item: DueWebhookDelivery, _ client: HTTPClient) async throws {
        let delivery = item.delivery
        guard var alert = item.alert else {
            try await store.recordWebhookAttempt(delivery.id, .failed(statusCode: nil, error: "alert no longer stored (erased or purged)",
                                                                      retryAt: nil), at: now())
            return
        }
        if !configuration.includeIdentity { alert = PayloadMask.mask(alert) }
        let body = Array(try CheckpointJSON.encoder().encode(Body(delivery: delivery.id, alert: alert)))
        let timestamp = Int64(now().timeIntervalSince1970.rounded(.down))
        var request = HTTPClientRequest(url: configuration.url.absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "checkpoint-central")
        request.headers.add(name: WebhookSignature.timestampHeader, value: String(timestamp))
        request.headers.add(name: WebhookSignature.signatureHeader,
                            value: WebhookSignature.sign(body: body, timestamp: timestamp, key: configuration.key))
        request.headers.add(name: WebhookSignature.deliveryHeader, value: String(delivery.id))
        request.headers.add(name: WebhookSignature.eventHeader, value: "alert.\(alert.kind.rawValue)")
        request.body = .bytes(ByteBuffer(bytes: body))
        let attempt: WebhookAttempt
        do {
            let response = try await client.execute(request, timeout: .init(configuration.timeout))
            _ = try? await response.body.collect(upTo: 64 * 1024)
            let code = Int(response.status.code)
            if (200..<300).contains(code) {
                attempt = .delivered(statusCode: code)
            } else {
                attempt = .failed(statusCode: code, error: "HTTP \(code)",
                                  retryAt: configuration.retry.retryAt(afterAttempts: delivery.attempts + 1, now: now()))
            }
        } catch {
            attempt = .failed(statusCode: nil, error: "\(error)",
                              retryAt: configuration.retry.retryAt(afterAttempts: delivery.attempts + 1, now: now()))
        }
        if case .failed(let code, let error, let retryAt) = attempt {
            logger.warning("webhook delivery failed", metadata: ["delivery": "\(delivery.id)", "status": "\(code.map(String.init) ?? "-")",
                                                                 "error": "\(error)", "retry": "\(retryAt.map { "\($0)" } ?? "given up")"])
        }
        try await store.recordWebhookAttempt(delivery.id, attempt, at: now())
    }
}
