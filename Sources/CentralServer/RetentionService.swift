import CentralStore
import Foundation
import Logging
import ServiceLifecycle

/// Applies the retention policy and removes expired watch-list entries on a schedule: once at start, then every `interval`, until graceful
/// shutdown. A failed purge is logged and tried again at the next interval (nothing is half-deleted:
/// a purge is one transaction).
public struct RetentionService: Service {
    let store: any CentralStorage
    let policy: RetentionPolicy
    let interval: Duration
    let logger: Logger
    let now: @Sendable () -> Date

    public init(store: any CentralStorage, policy: RetentionPolicy, interval: Duration = .seconds(3600), logger: Logger,
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.policy = policy
        self.interval = interval
        self.logger = logger
        self.now = now
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            do {
                let report = try await store.purge(policy, now: now())
                let expired = try await store.expireWatchList(now: now())
                logger.info("retention purge done", metadata: ["deleted": "\(report.total)", "watchListExpired": "\(expired.count)"])
            } catch {
                logger.error("retention purge failed", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
