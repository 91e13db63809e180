import CheckpointCore
import Foundation

/// Wakes the gates' long-polls (`GET /v1/commands?wait=`) when a command for their gate is created,
/// in process: no polling loop on the database. It carries no command: a woken poll reads the store.
///
/// Contract: a poll reads `generation(of:)` before it reads the store, then `wait(gate:after:timeout:)`
/// returns at once if a `notify` happened since (none is lost between the read and the wait), else
/// at the next `notify(gate:)` or after `timeout`.
public final class CommandNotifier: Sendable {
    private struct State {
        var generation: [String: UInt64] = [:]
        var waiters: [String: [UUID: CheckedContinuation<Void, Never>]] = [:]
    }
    private let state = Mutex(State())

    public init() {}

    /// The gate's notification count so far.
    public func generation(of gate: String) -> UInt64 { state.withLock { $0.generation[gate] ?? 0 } }

    /// A command for `gate` was created: wakes its waiting polls.
    public func notify(gate: String) {
        let woken = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.generation[gate, default: 0] += 1
            return Array((s.waiters.removeValue(forKey: gate) ?? [:]).values)
        }
        for c in woken { c.resume() }
    }

    /// Waits for a `notify(gate:)` after `generation`, at most `timeout`.
    public func wait(gate: String, after generation: UInt64, timeout: Duration) async {
        let id = UUID()
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let now = state.withLock { s -> Bool in
                guard (s.generation[gate] ?? 0) == generation else { return true }
                s.waiters[gate, default: [:]][id] = c
                return false
            }
            if now { c.resume(); return }
            Task { [state] in
                try? await Task.sleep(for: timeout)
                state.withLock { $0.waiters[gate]?.removeValue(forKey: id) }?.resume()
            }
        }
    }
}
