/// The protocol side of a simulated device, sans I/O: what it answers to the host's bytes, what it
/// prints on its own, and its device-specific runtime commands. The host (`SimulatedDeviceHost`)
/// puts it behind a pseudo-terminal and applies faults to what it sends.
public protocol DeviceBehavior: Sendable {
    /// The host wrote `bytes`; returns the frames the device sends back, in order (may be none).
    mutating func received(_ bytes: [UInt8]) -> [[UInt8]]
    /// Period of unsolicited output in ms (a streaming device), nil if it only answers.
    var streamPeriodMs: Int? { get }
    /// The frame a streaming device prints at each period.
    mutating func tick() -> [UInt8]?
    /// A device-specific runtime command (e.g. `set 37.2`); returns a reply line, or throws
    /// `SimulatorCommandError` for an unknown or bad command.
    mutating func command(_ words: [String]) throws(SimulatorCommandError) -> String
    /// One line describing the device's state, for `list`.
    var status: String { get }
}

/// A runtime command the simulator does not understand or cannot apply.
public struct SimulatorCommandError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
