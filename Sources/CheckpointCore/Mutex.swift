import Foundation

/// A lock-protected value, for the few places where shared mutable state is simpler than an actor.
/// (The standard library's `Synchronization.Mutex` needs macOS 15 availability annotations
/// everywhere; this one is a plain `NSLock`.)
public final class Mutex<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    public init(_ value: Value) { self.value = value }

    public func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
