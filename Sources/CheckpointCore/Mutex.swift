import Synchronization

/// A lock-protected value shared by reference: the standard library's `Synchronization.Mutex`
/// (which is non-copyable) in a class, so that closures and several owners can hold the same lock.
/// The value is reached only inside `withLock`; what goes in or comes out is `sending`.
public final class Mutex<Value>: Sendable {
    private let storage: Synchronization.Mutex<Value>

    public init(_ value: sending Value) { storage = Synchronization.Mutex(value) }

    public func withLock<R, E: Error>(_ body: (inout sending Value) throws(E) -> sending R) throws(E) -> sending R {
        try storage.withLock(body)
    }
}
