import Foundation

/// `waitUntil` for a condition that must be awaited (e.g. asks a server over HTTP), checked every
/// 50 ms; an error thrown by `condition` counts as "not yet".
public func waitUntilAsync(within timeout: Duration = defaultWaitDeadline, _ condition: () async throws -> Bool) async -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while clock.now < deadline {
        if (try? await condition()) == true { return true }
        try? await Task.sleep(for: .milliseconds(50))
    }
    return (try? await condition()) == true
}
