extension SerialPort {
    /// The connection state, reported to the state handler on every transition.
    public enum State: Sendable, Equatable, CustomStringConvertible {
        /// Not opened yet, or closed by `close()`.
        case closed
        /// Opened (the first time).
        case open
        /// The device went away or could not be opened; reopen attempts are running.
        case disconnected(reason: String)
        /// Open again after a disconnect.
        case reopened

        /// True for `open` and `reopened`.
        public var isOpen: Bool {
            switch self {
            case .open, .reopened: return true
            case .closed, .disconnected: return false
            }
        }

        public var description: String {
            switch self {
            case .closed: return "closed"
            case .open: return "open"
            case .disconnected(let reason): return "disconnected (\(reason))"
            case .reopened: return "reopened"
            }
        }
    }

    /// What happened on the port since it was created.
    public struct Counters: Sendable, Equatable {
        /// Bytes received from the device and delivered to the receive handler.
        public var bytesIn: UInt64 = 0
        /// Bytes the kernel accepted for the device.
        public var bytesOut: UInt64 = 0
        /// Bytes discarded: written while disconnected, beyond the queue limit, or queued at a disconnect.
        public var bytesDropped: UInt64 = 0
        /// Times an open port was lost (EOF, EIO/ENXIO, hangup).
        public var disconnects: Int = 0
        /// Open attempts made by the reopen timer or `reopenNow()`.
        public var reopenAttempts: Int = 0
        /// Successful reopens.
        public var reopens: Int = 0
        /// Bytes the kernel had buffered before an open and that were discarded unread.
        public var staleBytesDiscarded: UInt64 = 0

        public init() {}
    }

    /// When to try opening a lost device again: after `initialDelay`, then doubling up to `maximumDelay`.
    public struct ReopenPolicy: Sendable, Equatable {
        public var initialDelay: Duration
        public var maximumDelay: Duration

        public init(initialDelay: Duration = .milliseconds(100), maximumDelay: Duration = .seconds(2)) {
            self.initialDelay = initialDelay
            self.maximumDelay = maximumDelay
        }

        /// 100 ms, 200 ms, 400 ms, … 2 s.
        public static let standard = ReopenPolicy()

        /// The delay after `previous`.
        public func delay(after previous: Duration) -> Duration {
            min(previous * 2, maximumDelay)
        }
    }
}
