import CheckpointCore

/// A stand-in for a GPIO input line (tests, demos, boxes without GPIO): `set(_:at:)` reports an
/// edge as the kernel would, with the time given or the injected clock's.
///
/// Starts inactive. Setting the level it already has reports nothing (no edge). Before `watch`
/// or after `close`, edges change the level but reach nobody.
public final class SimulatedInputLine: InputLine, Sendable {
    public let name: String
    private let now: @Sendable () -> Duration
    private let state = Mutex<(level: LineLevel, handler: (@Sendable (LineEdge) -> Void)?)>((.inactive, nil))

    /// - Parameter now: the clock that stamps edges set without a time (`MonotonicClock.now` by default).
    public init(name: String, now: @escaping @Sendable () -> Duration = MonotonicClock.now) {
        self.name = name
        self.now = now
    }

    public var level: LineLevel { state.withLock { $0.level } }

    public func watch(_ handler: @escaping @Sendable (LineEdge) -> Void) throws {
        state.withLock { $0.handler = handler }
    }

    public func close() { state.withLock { $0.handler = nil } }

    /// Drives the simulated input to `level` (a press, a door opening), stamped `at` or now.
    public func set(_ level: LineLevel, at time: Duration? = nil) {
        let edge = LineEdge(at: time ?? now(), level: level)
        let handler = state.withLock { s -> (@Sendable (LineEdge) -> Void)? in
            guard s.level != level else { return nil }
            s.level = level
            return s.handler
        }
        handler?(edge)
    }
}
