import CheckpointCore

/// The devices' states as the gate last saw them, for heartbeats and `checkpointctl` (thread-safe).
/// In the daemon only `GatePipeline` writes it: the lines' states when it opens them, the devices'
/// states as their reports pass through the inbox (`DeviceStateTracker`).
public final class DeviceStateRegistry: Sendable {
    private let states = Mutex([String: DeviceState]())

    public init(_ initial: [DeviceState] = []) {
        states.withLock { s in for d in initial { s[d.id] = d } }
    }

    public func update(_ state: DeviceState) { states.withLock { $0[state.id] = state } }

    public func set(_ id: String, status: DeviceState.Status, detail: String? = nil) {
        states.withLock { s in
            if var d = s[id] {
                d.status = status
                d.detail = detail
                s[id] = d
            }
        }
    }

    /// Forgets every device for which `isGone` is true (a reloaded configuration no longer uses it).
    public func remove(where isGone: (DeviceState) -> Bool) {
        states.withLock { s in s = s.filter { !isGone($0.value) } }
    }

    /// Counts one rejected input of device `id` under `reason` (reported in heartbeats).
    public func countRejection(_ id: String, reason: String) {
        states.withLock { s in
            guard var d = s[id] else { return }
            d.rejections = (d.rejections ?? [:]).merging([reason: 1], uniquingKeysWith: +)
            s[id] = d
        }
    }

    /// The status of device `id`; nil for a device the registry does not know.
    public func status(of id: String) -> DeviceState.Status? { states.withLock { $0[id]?.status } }

    /// Every device, sorted by id.
    public var all: [DeviceState] { states.withLock { $0.values.sorted { $0.id < $1.id } } }
}
