/// Why a serial port could not be opened or configured. Every case names the path; system-call
/// failures carry the errno text.
public enum SerialPortError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The `SerialSettings` cannot be applied (e.g. a baud rate termios has no constant for).
    case invalidSettings(path: String, problem: String)
    /// A system call failed: `call` is what we tried (`open`, `TIOCEXCL`, `tcsetattr`, …).
    case systemCall(path: String, call: String, errno: Int32)
    /// tcsetattr succeeded but reading the settings back shows the driver did not take them.
    case settingsNotApplied(path: String, detail: String)
    /// The operation needs an open port.
    case notOpen(path: String)

    public var description: String {
        switch self {
        case .invalidSettings(let path, let problem): return "\(path): invalid serial settings: \(problem)"
        case .systemCall(let path, let call, let code): return "\(path): \(call) failed: \(systemErrorText(code))"
        case .settingsNotApplied(let path, let detail): return "\(path): the driver did not apply the serial settings: \(detail)"
        case .notOpen(let path): return "\(path): serial port is not open"
        }
    }
}
