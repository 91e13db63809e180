/// Why a pseudo-terminal operation failed; names the call, the path when there is one, and the errno text.
public struct PseudoTerminalError: Error, Sendable, Equatable, CustomStringConvertible {
    public let call: String
    public let path: String?
    public let errno: Int32

    public init(call: String, path: String? = nil, errno: Int32) {
        self.call = call
        self.path = path
        self.errno = errno
    }

    public var description: String {
        "pseudo-terminal: \(call)\(path.map { " \($0)" } ?? "") failed: \(systemErrorText(errno))"
    }
}
