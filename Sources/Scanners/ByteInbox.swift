import CheckpointCore

/// Bytes arriving from a device (delivered from any thread, e.g. an event loop's receive handler),
/// awaited in order with a deadline. For request/reply conversations such as scanner configuration.
public final class ByteInbox: Sendable {
    private struct Waiter {
        var id: UInt64
        var continuation: CheckedContinuation<[UInt8]?, Never>
        var timeout: Task<Void, Never>?
    }

    private struct State {
        var chunks: [[UInt8]] = []
        var waiter: Waiter?
        var nextID: UInt64 = 0
        var closed = false
    }

    private let state = Mutex(State())

    public init() {}

    /// Adds bytes; wakes a waiting `next`.
    public func deliver(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        let waiter = state.withLock { s -> Waiter? in
            if let w = s.waiter { s.waiter = nil; return w }
            s.chunks.append(bytes)
            return nil
        }
        waiter?.timeout?.cancel()
        waiter?.continuation.resume(returning: bytes)
    }

    /// No more bytes will come (device closed): a waiting and every later `next` returns nil.
    public func close() {
        let waiter = state.withLock { s -> Waiter? in
            s.closed = true
            defer { s.waiter = nil }
            return s.waiter
        }
        waiter?.timeout?.cancel()
        waiter?.continuation.resume(returning: nil)
    }

    /// The next bytes, or nil if none arrive within `timeout` (or the inbox is closed).
    /// One caller at a time.
    public func next(timeout: Duration) async -> [UInt8]? {
        await withCheckedContinuation { (c: CheckedContinuation<[UInt8]?, Never>) in
            let id: UInt64? = state.withLock { s in
                if !s.chunks.isEmpty { return nil }
                if s.closed { return nil }
                s.nextID += 1
                s.waiter = Waiter(id: s.nextID, continuation: c, timeout: nil)
                return s.nextID
            }
            guard let id else {
                let chunk = state.withLock { s -> [UInt8]? in s.chunks.isEmpty ? nil : s.chunks.removeFirst() }
                c.resume(returning: chunk)
                return
            }
            let task = Task { [weak self] in
                try? await Task.sleep(for: timeout)
                guard !Task.isCancelled else { return }
                self?.expire(id)
            }
            let stillWaiting = state.withLock { s -> Bool in
                guard s.waiter?.id == id else { return false }
                s.waiter?.timeout = task
                return true
            }
            if !stillWaiting { task.cancel() }
        }
    }

    private func expire(_ id: UInt64) {
        let waiter = state.withLock { s -> Waiter? in
            guard s.waiter?.id == id else { return nil }
            defer { s.waiter = nil }
            return s.waiter
        }
        waiter?.continuation.resume(returning: nil)
    }
}
