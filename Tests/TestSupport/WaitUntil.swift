import Foundation

/// Waits until `condition` holds or `timeout` passes (checking every 5 ms) and returns whether it
/// held; tests assert on the result, so a condition that never comes true fails at the deadline.
public func waitUntil(within timeout: Duration = .seconds(5), _ condition: () -> Bool) async -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while clock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(5))
    }
    return condition()
}

/// Runs blocking `work` (a child process to completion, a sleep-free file read) on a Dispatch
/// thread, so the Swift concurrency pool — which runs every test's and the product's tasks, and has
/// one thread per core — is never held by it.
public func offThePool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(returning: work()) }
    }
}

/// `waitUntil` for a condition that blocks while it is checked (e.g. runs `checkpointctl`): each
/// check runs off the concurrency pool.
public func waitUntilBlocking(within timeout: Duration = .seconds(5), _ condition: @escaping @Sendable () -> Bool) async -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while clock.now < deadline {
        if await offThePool(condition) { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return await offThePool(condition)
}
