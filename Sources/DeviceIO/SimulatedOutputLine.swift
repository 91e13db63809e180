import CheckpointCore

/// One level change of a simulated line, at a time of the injected clock.
public struct LineEdge: Sendable, Hashable, CustomStringConvertible {
    /// Time since the clock's origin (a virtual clock in tests, monotonic time otherwise).
    public var at: Duration
    public var level: LineLevel

    public init(at: Duration, level: LineLevel) {
        self.at = at
        self.level = level
    }

    public var description: String { "\(level.rawValue)@\(at)" }
}

/// A stand-in for a GPIO line (tests, demos, boxes without GPIO): it records every edge with the
/// time of an injected clock, so virtual-clock tests can assert exact times and orders.
///
/// Starts inactive. Driving the level it already has records nothing (no edge). `failNextDrive`
/// lets a test make the next drive throw, as a chip that vanished would.
public final class SimulatedOutputLine: OutputLine, @unchecked Sendable {
    public let name: String
    private let now: @Sendable () -> Duration
    private let state = Mutex<(level: LineLevel, edges: [LineEdge], failNext: Bool)>((.inactive, [], false))

    /// - Parameter now: the clock, e.g. `{ virtualClock.now }` or `MonotonicClock.now`.
    public init(name: String, now: @escaping @Sendable () -> Duration) {
        self.name = name
        self.now = now
    }

    public var level: LineLevel { state.withLock { $0.level } }

    /// Every edge so far, oldest first.
    public var edges: [LineEdge] { state.withLock { $0.edges } }

    /// Makes the next `drive` throw once.
    public func failNextDrive() { state.withLock { $0.failNext = true } }

    public func drive(_ level: LineLevel) throws {
        let t = now()
        try state.withLock { s in
            if s.failNext {
                s.failNext = false
                throw OutputLineError(line: name, message: "simulated failure")
            }
            guard s.level != level else { return }
            s.level = level
            s.edges.append(LineEdge(at: t, level: level))
        }
    }
}
