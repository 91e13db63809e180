/// Admits at most `capacity` write transactions at a time, first come first served, and refuses a
/// caller that has waited `waitLimit` without its turn (`CentralStoreError.busy`).
///
/// Contract: under overload the store answers late callers quickly instead of serving them after
/// they gave up. A gate times out its request after 10 s and sends the batch again, so a store that
/// queues without bound serves each batch several times over and answers none in time. The limit is
/// on the wait only: an admitted transaction runs to COMMIT or ROLLBACK. After `refuseAll`
/// (closing), every waiter and every later caller is refused at once.
actor WriteAdmission {
    let capacity: Int
    let waitLimit: Duration
    private var running = 0
    private var closed = false
    private var nextTicket = 0
    /// Waiters in arrival order, by ticket.
    private var waiters: [(ticket: Int, continuation: CheckedContinuation<Void, any Error>)] = []

    /// - Parameters:
    ///   - capacity: write transactions at once (≥ 1).
    ///   - waitLimit: the longest a caller waits for its turn.
    init(capacity: Int, waitLimit: Duration) {
        self.capacity = max(1, capacity)
        self.waitLimit = waitLimit
    }

    /// Returns when the caller may start; throws `.busy` after `waitLimit`, `.engine` once closed.
    /// Every successful `enter` is paired with one `leave`.
    func enter() async throws {
        guard !closed else { throw CentralStoreError.engine("the store is closed") }
        if running < capacity {
            running += 1
            return
        }
        let ticket = nextTicket
        nextTicket += 1
        let limit = waitLimit
        let expiry = Task { [weak self] in
            try await Task.sleep(for: limit)
            await self?.expire(ticket)
        }
        defer { expiry.cancel() }
        try await withCheckedThrowingContinuation { continuation in
            waiters.append((ticket, continuation))
        }
    }

    /// Hands the turn to the longest waiter, or frees it.
    func leave() {
        if waiters.isEmpty {
            running -= 1
        } else {
            waiters.removeFirst().continuation.resume()
        }
    }

    /// Refuses every waiter and every later `enter`; transactions already admitted finish.
    func refuseAll() {
        closed = true
        let refused = waiters
        waiters.removeAll()
        for waiter in refused { waiter.continuation.resume(throwing: CentralStoreError.engine("the store is closed")) }
    }

    /// Callers waiting now (for `/metrics` and tests).
    var waiting: Int { waiters.count }

    private func expire(_ ticket: Int) {
        guard let index = waiters.firstIndex(where: { $0.ticket == ticket }) else { return }
        let waiter = waiters.remove(at: index)
        let ms = Int(waitLimit.components.seconds * 1000 + waitLimit.components.attoseconds / 1_000_000_000_000_000)
        waiter.continuation.resume(throwing: CentralStoreError.busy(waitedMs: ms))
    }
}
