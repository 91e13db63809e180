import DeviceIO
#if canImport(Glibc)
import Glibc
#endif

/// Reads command lines from a descriptor (stdin or a FIFO) on the event loop and hands each line
/// to `handler`. End of file on stdin stops reading; a FIFO opened read-write never sees one.
// @unchecked: `buffer` and `registration` are touched only on the event loop thread.
final class CommandLineReader: @unchecked Sendable {
    private let fd: Int32
    private let loop: EventLoop
    private var buffer: [UInt8] = []
    private var registration: EventLoop.Registration?
    private let handler: @Sendable (String) -> Void

    init(fd: Int32, loop: EventLoop, handler: @escaping @Sendable (String) -> Void) throws {
        self.fd = fd
        self.loop = loop
        self.handler = handler
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        registration = try loop.register(fileDescriptor: fd, interest: .readable) { [self] _ in readAvailable() }
    }

    private func readAvailable() {
        var chunk = [UInt8](repeating: 0, count: 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n > 0 {
                buffer += chunk[0..<n]
                while let nl = buffer.firstIndex(of: 0x0A) {
                    let line = String(decoding: buffer[..<nl], as: UTF8.self)
                    buffer.removeSubrange(...nl)
                    handler(line)
                }
                if buffer.count > 4096 { buffer.removeAll() }
                continue
            }
            if n < 0 && (errno == EINTR) { continue }
            if n == 0 || (n < 0 && errno != EAGAIN) {
                if let registration { loop.deregister(registration) }
                registration = nil
            }
            return
        }
    }
}
