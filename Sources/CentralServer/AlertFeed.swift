import CheckpointCore
import Foundation

/// Wakes the open alert streams when an ingest may have raised alerts. It carries no alert itself:
/// each stream then reads the store for alerts after the last id it sent, within its own scope, so
/// a missed wake-up costs at most one keep-alive interval, never an alert.
public final class AlertFeed: Sendable {
    /// What wakes a stream: a possible new alert, or the keep-alive timer.
    public enum Wake: Sendable { case alerts, keepAlive }

    private let subscribers = Mutex<[UUID: AsyncStream<Wake>.Continuation]>([:])

    public init() {}

    /// Wakes every stream.
    public func notify() {
        subscribers.withLock { subscribers in
            for continuation in subscribers.values { continuation.yield(.alerts) }
        }
    }

    /// A stream of wake-ups: `.alerts` after `notify`, `.keepAlive` every `keepAlive`. Ends when the
    /// consuming task is cancelled (or the stream is dropped); the subscription ends with it.
    public func subscribe(keepAlive: Duration) -> AsyncStream<Wake> {
        let id = UUID()
        let (stream, continuation) = AsyncStream<Wake>.makeStream(bufferingPolicy: .bufferingNewest(2))
        let ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: keepAlive)
                continuation.yield(.keepAlive)
            }
        }
        continuation.onTermination = { [weak self] _ in
            ticker.cancel()
            _ = self?.subscribers.withLock { $0.removeValue(forKey: id) }
        }
        subscribers.withLock { $0[id] = continuation }
        return stream
    }

    /// How many streams are open (for tests and metrics).
    public var subscriberCount: Int { subscribers.withLock { $0.count } }
}
