import CheckpointCore

/// A GPIO input line (an exit button, a door contact) that reports its level changes.
///
/// Contract: `level` is the logical level read when the line was requested (active = pressed /
/// door open, active-low already applied); after `watch`, every edge is handed to the handler in
/// the order the kernel saw them, stamped with CLOCK_BOOTTIME (`MonotonicClock`), on one thread at
/// a time. Edges are raw (undebounced): `Gate.InputDebouncer` filters them. `close()` stops the
/// reports and releases the line; it is idempotent.
public protocol InputLine: AnyObject, Sendable {
    /// The line as named in logs, e.g. `gpiochip0:22 (lane[0].exitButton)`.
    var name: String { get }
    /// The level when the line was requested.
    var level: LineLevel { get }
    /// Starts reporting edges to `handler`.
    func watch(_ handler: @escaping @Sendable (LineEdge) -> Void) throws
    /// Stops reporting and releases the line.
    func close()
}
