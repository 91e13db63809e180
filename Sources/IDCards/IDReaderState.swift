/// What a lane can say about its ID reader.
public enum IDReaderState: Sendable, Hashable, CustomStringConvertible {
    /// The port is not open (unplugged, or not yet found).
    case disconnected
    /// The port is open; the reader has not yet answered a status request.
    case starting
    /// The reader answered its status with success and polls for cards.
    case ready
    /// The reader answered, but its SAM reports a fault (status other than success).
    case fault(SAMStatus)
    /// The reader stopped answering (every retry of a request timed out).
    case unresponsive

    public var isWorking: Bool { self == .ready }

    public var description: String {
        switch self {
        case .disconnected: return "disconnected"
        case .starting: return "starting"
        case .ready: return "ready"
        case .fault(let s): return "fault: \(s)"
        case .unresponsive: return "unresponsive"
        }
    }
}
