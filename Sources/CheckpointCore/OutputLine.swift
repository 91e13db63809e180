/// The logical level of an output line. `inactive` is always the safe level (relay open, amplifier
/// off, lights off); whether that is electrically high or low is the line's configuration.
public enum LineLevel: String, Sendable, Hashable, CaseIterable {
    case active
    case inactive
}

/// A GPIO output line (docs/contracts.md §6): the relay, the amplifier enable, indicator lights.
///
/// Implementations: libgpiod v1 (chip + offset or line name; active-high or active-low) and a
/// simulated line that records timestamped edges for tests. After a crash the kernel releases the
/// line; wiring and `ExecStopPost=` make that the inactive level.
public protocol OutputLine: AnyObject, Sendable {
    /// A human-readable name for logs, e.g. `gpiochip0:17 (relay)`.
    var name: String { get }
    /// The level last driven.
    var level: LineLevel { get }
    /// Drives the line; throws if the kernel refuses (line released, chip gone).
    func drive(_ level: LineLevel) throws
}
