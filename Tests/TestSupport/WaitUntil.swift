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
