/// Counts operations in flight so that closing waits for them (a graceful shutdown finishes the
/// batches it has begun) and refuses new ones.
actor OperationGate {
    private var inFlight = 0
    private var closed = false
    private var drained: [CheckedContinuation<Void, Never>] = []

    /// Registers an operation; false once closing has begun.
    func enter() -> Bool {
        guard !closed else { return false }
        inFlight += 1
        return true
    }

    func leave() {
        inFlight -= 1
        if inFlight == 0 {
            drained.forEach { $0.resume() }
            drained.removeAll()
        }
    }

    /// Refuses new operations and returns once every operation in flight has left; true the first time.
    func closeAndDrain() async -> Bool {
        let first = !closed
        closed = true
        if inFlight > 0 { await withCheckedContinuation { drained.append($0) } }
        return first
    }
}
