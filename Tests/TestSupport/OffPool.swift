import Foundation

/// Runs blocking `body` (a child process to completion, a long wait) on a thread of its own and
/// returns its result: the test runner's few cooperative threads (two on a 2-core machine) stay
/// free for the other tests running at the same time.
public func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}
