import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A blocking client of the control socket, for `checkpointctl` (one request at a time).
public final class ControlClient {
    public enum Failure: Error, CustomStringConvertible {
        /// Nothing listens at the path: the daemon is not running (the CLI may open devices itself).
        case daemonNotRunning(String)
        case io(String)
        case protocolError(String)

        public var description: String {
            switch self {
            case .daemonNotRunning(let p): return "checkpointd is not running (no control socket at \(p))"
            case .io(let m): return "control socket: \(m)"
            case .protocolError(let m): return "control socket: bad reply: \(m)"
            }
        }
    }

    private let fd: Int32
    private var buffer: [UInt8] = []

    /// Connects to `path`; throws `.daemonNotRunning` if there is no listener.
    public init(path: String = ControlProtocol.defaultSocketPath, timeoutSeconds: Int = 10) throws {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Failure.io("socket: \(String(cString: strerror(errno)))") }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let capacity = MemoryLayout.size(ofValue: addr.sun_path)
        guard path.utf8.count < capacity else { close(fd); throw Failure.io("socket path too long: \(path)") }
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            raw.copyBytes(from: Array(path.utf8) + [0])
        }
        var tv = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        if rc != 0 {
            let e = errno
            close(fd)
            if e == ENOENT || e == ECONNREFUSED { throw Failure.daemonNotRunning(path) }
            throw Failure.io("connect \(path): \(String(cString: strerror(e)))")
        }
        self.fd = fd
    }

    deinit { close(fd) }

    /// Sends one request and waits for its response.
    public func send(_ request: ControlRequest) throws -> ControlResponse {
        var line = try JSONEncoder().encode(request)
        line.append(0x0A)
        try line.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw Failure.io("write: \(String(cString: strerror(errno)))")
                }
                offset += n
            }
        }
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            if let nl = buffer.firstIndex(of: 0x0A) {
                let body = Data(buffer[..<nl])
                buffer.removeSubrange(...nl)
                do { return try JSONDecoder().decode(ControlResponse.self, from: body) }
                catch { throw Failure.protocolError("\(error)") }
            }
            if buffer.count > ControlProtocol.maxLineBytes { throw Failure.protocolError("reply longer than \(ControlProtocol.maxLineBytes) bytes") }
            let n = read(fd, &chunk, chunk.count)
            if n < 0 {
                if errno == EINTR { continue }
                throw Failure.io(errno == EAGAIN ? "timed out waiting for the daemon" : "read: \(String(cString: strerror(errno)))")
            }
            if n == 0 { throw Failure.protocolError("daemon closed the connection") }
            buffer.append(contentsOf: chunk[..<n])
        }
    }
}
