import Foundation

/// Slows password guessing: after `maxFailures` failed sign-ins for one username within `window`,
/// further attempts for it are refused (429) until the oldest of those failures leaves the window —
/// without checking the password, so a locked account gives nothing away. A success clears the count.
public actor SignInThrottle {
    public let maxFailures: Int
    public let window: TimeInterval
    private var failures: [String: [Date]] = [:]

    public init(maxFailures: Int = 5, window: TimeInterval = 15 * 60) {
        self.maxFailures = maxFailures
        self.window = window
    }

    /// Seconds to wait before `username` may try again at `now`; nil = may try now.
    public func retryAfter(_ username: String, now: Date) -> TimeInterval? {
        let recent = prune(username.lowercased(), now: now)
        guard recent.count >= maxFailures, let oldest = recent.first else { return nil }
        return max(1, oldest.addingTimeInterval(window).timeIntervalSince(now))
    }

    public func recordFailure(_ username: String, at now: Date) {
        let key = username.lowercased()
        failures[key] = prune(key, now: now) + [now]
        if failures.count > 10_000 { failures = failures.filter { !$0.value.isEmpty } }
    }

    public func recordSuccess(_ username: String) { failures[username.lowercased()] = nil }

    private func prune(_ key: String, now: Date) -> [Date] {
        let recent = (failures[key] ?? []).filter { now.timeIntervalSince($0) < window }
        failures[key] = recent.isEmpty ? nil : recent
        return recent
    }
}
