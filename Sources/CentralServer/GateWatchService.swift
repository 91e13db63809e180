import CentralStore
import Foundation
import Logging
import ServiceLifecycle

/// Raises `.gateSilent` alerts (`CentralStorage.raiseSilentGateAlerts`) every `interval` until
/// graceful shutdown, and wakes the alert streams and the webhook when it did. A failed check is
/// logged and tried again at the next interval.
public struct GateWatchService: Service {
    let store: any CentralStorage
    let rules: GateAlertRules
    let feed: AlertFeed
    let interval: Duration
    let logger: Logger
    let now: @Sendable () -> Date

    /// `interval` defaults to a quarter of `rules.silentAfter`, between 1 s and 60 s.
    public init(store: any CentralStorage, rules: GateAlertRules, feed: AlertFeed, interval: Duration? = nil, logger: Logger,
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.rules = rules
        self.feed = feed
        self.interval = interval ?? .milliseconds(Int64(min(60_000, max(1_000, rules.silentAfter * 250))))
        self.logger = logger
        self.now = now
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            do {
                if try await store.raiseSilentGateAlerts(silentAfter: rules.silentAfter, now: now()) > 0 { feed.notify() }
            } catch {
                logger.error("silent-gate check failed", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
