import CheckpointCore
import DeviceIO
import Gate
import Logging

/// One lane's inputs from the person on duty's side (docs/gate.md "The person on duty's inputs"):
/// the exit button and the door contact, each debounced (`InputDebouncer`), the door watched
/// against the lane's releases (`DoorMonitor`).
///
/// Contract: a debounced press of the button (its level becoming active) calls `pressed` once;
/// every door alert calls `doorAlert` once, in order. Edges arrive on the lines' thread; the
/// debouncers' and the monitor's deadlines are kept by tasks that advance them at that time
/// (CLOCK_BOOTTIME, `MonotonicClock`). `close()` releases both lines.
final class LaneInputs: Sendable {
    let lane: String
    let button: (any InputLine)?
    let door: (any InputLine)?
    private struct State {
        var button: InputDebouncer?
        var door: InputDebouncer?
        var monitor: DoorMonitor?
        /// The deadline a sleeping task will advance at (one task for the earliest).
        var wakeAt: Duration?
    }
    private let state: Mutex<State>
    private let pressed: @Sendable () -> Void
    private let doorAlert: @Sendable (DoorMonitor.Alert) -> Void
    private let now: @Sendable () -> Duration

    init(lane: String, button: (any InputLine)?, buttonDebounceMs: Int, door: (any InputLine)?, doorContact: DoorContactConfiguration?,
         now: @escaping @Sendable () -> Duration = MonotonicClock.now,
         pressed: @escaping @Sendable () -> Void, doorAlert: @escaping @Sendable (DoorMonitor.Alert) -> Void) {
        self.lane = lane
        self.button = button
        self.door = door
        self.now = now
        self.pressed = pressed
        self.doorAlert = doorAlert
        var monitor: DoorMonitor?
        var doorDebouncer: InputDebouncer?
        if let door, let doorContact {
            monitor = DoorMonitor(releaseWindowMs: doorContact.releaseWindowMs, heldOpenMs: doorContact.heldOpenSeconds * 1_000)
            doorDebouncer = InputDebouncer(stableMs: doorContact.line.debounceMs, initial: door.level)
        }
        state = Mutex(State(button: button.map { InputDebouncer(stableMs: buttonDebounceMs, initial: $0.level) },
                            door: doorDebouncer, monitor: monitor))
    }

    /// Starts watching both lines; throws the first line's refusal.
    func start() throws {
        try button?.watch { [weak self] edge in self?.buttonEdge(edge) }
        try door?.watch { [weak self] edge in self?.doorEdge(edge) }
        // A door found open at start is an opening without a release.
        if door?.level == .active {
            let alerts = state.withLock { $0.monitor?.opened(at: now()) ?? [] }
            report(alerts)
            scheduleNext()
        }
    }

    /// The lane's relay released the door at `time` (a journaled admission or manual open).
    func released(at time: Duration) {
        state.withLock { $0.monitor?.released(at: time) }
    }

    func close() {
        button?.close()
        door?.close()
    }

    private func buttonEdge(_ edge: LineEdge) {
        let level = state.withLock { $0.button?.edge(to: edge.level, at: edge.at) }
        if level == .active { pressed() }
        scheduleNext()
    }

    private func doorEdge(_ edge: LineEdge) {
        let alerts = state.withLock { s -> [DoorMonitor.Alert] in
            guard let level = s.door?.edge(to: edge.level, at: edge.at) else { return [] }
            return Self.doorLevel(level, at: edge.at, monitor: &s.monitor)
        }
        report(alerts)
        scheduleNext()
    }

    /// Advances the debouncers and the monitor to now.
    private func tick() {
        let t = now()
        let (press, alerts) = state.withLock { s -> (Bool, [DoorMonitor.Alert]) in
            if let w = s.wakeAt, w <= t { s.wakeAt = nil }
            let press = s.button?.advance(to: t) == .active
            var alerts: [DoorMonitor.Alert] = []
            if let level = s.door?.advance(to: t) { alerts += Self.doorLevel(level, at: t, monitor: &s.monitor) }
            alerts += s.monitor?.advance(to: t) ?? []
            return (press, alerts)
        }
        if press { pressed() }
        report(alerts)
        scheduleNext()
    }

    private static func doorLevel(_ level: LineLevel, at time: Duration, monitor: inout DoorMonitor?) -> [DoorMonitor.Alert] {
        level == .active ? monitor?.opened(at: time) ?? [] : monitor?.closed(at: time) ?? []
    }

    private func report(_ alerts: [DoorMonitor.Alert]) {
        for alert in alerts { doorAlert(alert) }
    }

    /// Wakes at the earliest deadline of the debouncers and the monitor, if any.
    private func scheduleNext() {
        let deadline = state.withLock { s -> Duration? in
            guard let next = [s.button?.deadline, s.door?.deadline, s.monitor?.deadline].compactMap({ $0 }).min(),
                  s.wakeAt.map({ next < $0 }) ?? true else { return nil }
            s.wakeAt = next
            return next
        }
        guard let deadline else { return }
        let delay = max(.zero, deadline - now())
        Task { [weak self] in
            try? await Task.sleep(for: delay)
            self?.tick()
        }
    }
}
