import Foundation

/// A thread-safe recorder for values handlers produce on the loop thread.
// @unchecked: `items` is reached only under `lock`.
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
