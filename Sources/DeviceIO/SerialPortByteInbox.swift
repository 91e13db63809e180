import CheckpointCore

extension SerialPort {
    /// Routes everything this port receives into a callback-free inbox: sets the receive handler
    /// (replacing any other) so received chunks reach `deliver` in order, and closes the inbox on a
    /// disconnect. For request/reply conversations (scanner configuration).
    public func routeReceived(to deliver: @escaping @Sendable ([UInt8]) -> Void, closed: @escaping @Sendable () -> Void) {
        onReceive { deliver($0) }
        onStateChange { state in
            if case .disconnected = state { closed() }
        }
    }
}
