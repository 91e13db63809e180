import DeviceIO

/// Why the control socket server could not start. Names the socket path and the errno text.
public enum ControlServerError: Error, Sendable, Equatable, CustomStringConvertible {
    case systemCall(path: String, call: String, errno: Int32)
    /// Another process answers on the socket: a second daemon must not steal it.
    case alreadyInUse(path: String)
    /// Something that is not a socket sits at the path; it is left alone.
    case notASocket(path: String)
    /// The path does not fit in `sockaddr_un.sun_path`.
    case pathTooLong(path: String)

    public var description: String {
        switch self {
        case .systemCall(let path, let call, let code): return "control socket \(path): \(call) failed: \(systemErrorText(code))"
        case .alreadyInUse(let path): return "control socket \(path): another process is listening (is checkpointd already running?)"
        case .notASocket(let path): return "control socket \(path): a file that is not a socket is in the way"
        case .pathTooLong(let path): return "control socket \(path): path longer than a Unix socket address allows"
        }
    }
}
