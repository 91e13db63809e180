/// Why an `EventLoop` operation failed. Each case names the system call and the errno text.
public enum EventLoopError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A system call failed while setting up or using the loop.
    case systemCall(String, errno: Int32)
    /// The loop was stopped: work submitted after `stop()` never runs.
    case stopped

    public var description: String {
        switch self {
        case .systemCall(let call, let code): return "event loop: \(call) failed: \(systemErrorText(code))"
        case .stopped: return "event loop: stopped"
        }
    }
}
