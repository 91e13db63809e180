/// Exponential backoff with "equal jitter": the n-th consecutive failure waits
/// d/2 + random × d/2, where d = min(maximum, initial × 2^(n−1)). Pure: the caller passes the random
/// number (0…1), so tests are exact.
public struct Backoff: Sendable, Hashable {
    public var initial: Duration
    public var maximum: Duration

    public init(initial: Duration, maximum: Duration) {
        self.initial = initial
        self.maximum = max(initial, maximum)
    }

    /// The delay after `failures` consecutive failures (≥ 1); `random` in 0…1.
    public func delay(afterFailures failures: Int, random: Double) -> Duration {
        let n = max(1, failures)
        let cap = maximum
        var d = initial
        var i = 1
        while i < n && d < cap {
            d = d * 2
            i += 1
        }
        d = min(d, cap)
        let r = min(1, max(0, random.isFinite ? random : 0))
        return d / 2 + (d / 2) * r
    }
}
