import Foundation

/// Waits until `condition` holds or `timeout` passes (checking every 5 ms) and returns whether it
/// held; tests assert on the result, so a condition that never comes true fails at the deadline.
/// An error thrown by `condition` ends the wait and is rethrown.
public func waitUntil(within timeout: Duration = defaultWaitDeadline, _ condition: () throws -> Bool) async rethrows -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while clock.now < deadline {
        if try condition() { return true }
        try? await Task.sleep(for: .milliseconds(5))
    }
    return try condition()
}

/// `waitUntil` for a condition that blocks while it is checked (e.g. runs `checkpointctl`): each
/// check runs off the concurrency pool.
public func waitUntilBlocking(within timeout: Duration = defaultWaitDeadline, _ condition: @escaping @Sendable () -> Bool) async -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while clock.now < deadline {
        if (try? await offPool(condition)) == true { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return (try? await offPool(condition)) ?? false
}

