import CheckpointCore
import Foundation
import Logging

/// Drives one lane's relay and indicator lines for a decision that is already journaled
/// (`EntryPath` guarantees the order). The relay is active only for its pulse; an indicator stays
/// lit for `indicatorTime`; a newer decision restarts a line's timer. Inactive is the safe level
/// (docs/contracts.md §6): `safeState()` drives every line there at start and at exit.
public final class LaneActuator: Sendable {
    public let lane: String
    public let relay: (any OutputLine)?
    public let green: (any OutputLine)?
    public let red: (any OutputLine)?
    public let pulse: Duration
    public let indicatorTime: Duration
    private let generations = Mutex([ObjectIdentifier: Int]())
    private let failures = Mutex(0)
    private let logger: Logger

    public init(lane: String, relay: (any OutputLine)?, green: (any OutputLine)? = nil, red: (any OutputLine)? = nil,
                pulse: Duration, indicatorTime: Duration, logger: Logger = Logger(label: "checkpoint.gate.lines")) {
        self.lane = lane
        self.relay = relay
        self.green = green
        self.red = red
        self.pulse = pulse
        self.indicatorTime = indicatorTime
        self.logger = logger
    }

    /// Line operations the kernel refused so far.
    public var failureCount: Int { failures.withLock { $0 } }

    /// Drives every line inactive and cancels pending timers.
    public func safeState() {
        for line in [relay, green, red].compactMap({ $0 }) {
            generations.withLock { $0[ObjectIdentifier(line), default: 0] += 1 }
            drive(line, .inactive)
        }
    }

    /// Actuates a journaled decision: admit → relay pulse and green; anything else → red.
    public func actuate(_ decision: Decision) {
        if decision == .admit {
            if let red { release(red) }
            if let relay { hold(relay, for: pulse) }
            if let green { hold(green, for: indicatorTime) }
        } else {
            if let green { release(green) }
            if let red { hold(red, for: indicatorTime) }
        }
    }

    private func hold(_ line: any OutputLine, for duration: Duration) {
        let id = ObjectIdentifier(line)
        let generation = generations.withLock { g -> Int in
            g[id, default: 0] += 1
            return g[id]!
        }
        drive(line, .active)
        Task { [self] in
            try? await Task.sleep(for: duration)
            if generations.withLock({ $0[id] == generation }) { drive(line, .inactive) }
        }
    }

    private func release(_ line: any OutputLine) {
        generations.withLock { $0[ObjectIdentifier(line), default: 0] += 1 }
        if line.level == .active { drive(line, .inactive) }
    }

    private func drive(_ line: any OutputLine, _ level: LineLevel) {
        do {
            try line.drive(level)
        } catch {
            failures.withLock { $0 += 1 }
            logger.error("lane \(lane): cannot drive \(line.name) \(level.rawValue): \(error)")
        }
    }
}
