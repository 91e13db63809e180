/// Readiness of a file descriptor in the `EventLoop`: what a registration asks for (`readable`,
/// `writable`) and what a handler is told (those, plus `hangup` and `error`, which epoll always
/// reports whether asked for or not).
public struct IOEvents: OptionSet, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Data can be read (or the peer closed: a read returns 0 or an error).
    public static let readable = IOEvents(rawValue: 1 << 0)
    /// A write would not block.
    public static let writable = IOEvents(rawValue: 1 << 1)
    /// The other end hung up (EPOLLHUP / EPOLLRDHUP): a device unplugged, a PTY master closed.
    public static let hangup = IOEvents(rawValue: 1 << 2)
    /// An error condition on the descriptor (EPOLLERR).
    public static let error = IOEvents(rawValue: 1 << 3)

    public var description: String {
        var names: [String] = []
        if contains(.readable) { names.append("readable") }
        if contains(.writable) { names.append("writable") }
        if contains(.hangup) { names.append("hangup") }
        if contains(.error) { names.append("error") }
        return "[" + names.joined(separator: ", ") + "]"
    }
}
