import Foundation

/// When a failed webhook delivery is tried again: after `initialDelay`, then twice as long each time
/// (at most `maximumDelay`), with up to 10 % random jitter so that many deliveries do not retry in step,
/// until `maxAttempts` attempts have failed (then the delivery is `failed`).
public struct WebhookRetryPolicy: Sendable, Hashable {
    public var initialDelay: TimeInterval
    public var maximumDelay: TimeInterval
    /// Attempts in all, the first included (≥ 1).
    public var maxAttempts: Int

    /// 10 s, 20 s, 40 s … up to 1 h between attempts, 12 attempts: about 4½ hours in all.
    public static let standard = WebhookRetryPolicy(initialDelay: 10, maximumDelay: 3_600, maxAttempts: 12)

    public init(initialDelay: TimeInterval, maximumDelay: TimeInterval, maxAttempts: Int) {
        self.initialDelay = max(0.001, initialDelay)
        self.maximumDelay = max(self.initialDelay, maximumDelay)
        self.maxAttempts = max(1, maxAttempts)
    }

    /// The delay after the `attempts`-th failed attempt (1 = the first), without jitter, in seconds.
    public func baseDelay(afterAttempts attempts: Int) -> TimeInterval {
        let doublings = Double(min(max(attempts - 1, 0), 40))
        return min(maximumDelay, initialDelay * pow(2, doublings))
    }

    /// When to try again after the `attempts`-th failure at `now`; nil = give up.
    public func retryAt(afterAttempts attempts: Int, now: Date,
                        jitter: Double = Double.random(in: 0...0.1)) -> Date? {
        guard attempts < maxAttempts else { return nil }
        return now.addingTimeInterval(baseDelay(afterAttempts: attempts) * (1 + jitter))
    }
}
