import Foundation
import TestSupport

/// Waits until `condition` holds or `timeout` passes (checking every 5 ms); returns whether it held.
/// Tests assert on the result, so a condition that never becomes true fails after the deadline.
func eventually(within timeout: Duration = .seconds(5), _ condition: () -> Bool) async -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while clock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(5))
    }
    return condition()
}

/// A thread-safe recorder for values handlers produce on the loop thread.
final class Recorder<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [Value] = []

    func append(_ value: Value) {
        lock.lock(); defer { lock.unlock() }
        items.append(value)
    }

    var values: [Value] {
        lock.lock(); defer { lock.unlock() }
        return items
    }
}

/// Runs blocking work (a blocking socket client) on its own thread, so it never occupies the
/// few threads of Swift's cooperative pool that the server's router tasks need.
func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await offPool(body)
}
