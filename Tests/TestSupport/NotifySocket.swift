#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A Unix datagram socket standing in for systemd's `$NOTIFY_SOCKET` (the test owns it): collects
/// what a service sends with sd_notify. Each datagram is one message of newline-separated
/// `KEY=VALUE` assignments.
public final class NotifySocket: Sendable {
    public struct Failure: Error, CustomStringConvertible { public let description: String }

    public let path: String
    private let fd: Int32

    public init(path: String) throws {
        self.path = path
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: errno \(errno)") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { throw Failure(description: "path too long: \(path)") }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, byte) in bytes.enumerated() { raw[i] = byte }
        }
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard status == 0 else { throw Failure(description: "bind \(path): errno \(errno)") }
        var timeout = timeval(tv_sec: 0, tv_usec: 50_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit {
        close(fd)
        unlink(path)
    }

    /// The environment a service started by systemd with `Type=notify` gets: `NOTIFY_SOCKET` and,
    /// with `watchdog`, `WATCHDOG_USEC` (µs).
    public func environment(watchdog: Duration? = nil) -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["NOTIFY_SOCKET"] = path
        env.removeValue(forKey: "WATCHDOG_PID")
        if let watchdog {
            let (seconds, attoseconds) = watchdog.components
            env["WATCHDOG_USEC"] = String(seconds * 1_000_000 + attoseconds / 1_000_000_000_000)
        } else {
            env.removeValue(forKey: "WATCHDOG_USEC")
        }
        return env
    }

    /// The next datagram as text, waiting up to `seconds`.
    public func receive(within seconds: Double = 15) async throws -> String {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let message = next() { return message }
            try await Task.sleep(for: .milliseconds(5))
        }
        throw Failure(description: "nothing on the notify socket within \(seconds) s")
    }

    /// The first datagram within `seconds` that has the assignment `line` (e.g. "READY=1"); the ones
    /// before it are passed to `skipped`.
    public func receive(_ line: String, within seconds: Double = 15, skipped: (String) -> Void = { _ in }) async throws -> String {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let message = try await receive(within: max(0.01, deadline.timeIntervalSinceNow))
            if message.split(separator: "\n").contains(Substring(line)) { return message }
            skipped(message)
        }
        throw Failure(description: "no \(line) on the notify socket within \(seconds) s")
    }

    /// Every datagram that arrives during `seconds`.
    public func collect(for seconds: Double) async -> [String] {
        let deadline = Date().addingTimeInterval(seconds)
        var out: [String] = []
        while Date() < deadline {
            if let message = next() { out.append(message) } else { try? await Task.sleep(for: .milliseconds(5)) }
        }
        return out
    }

    /// The WATCHDOG=1 messages read during `seconds`, and the most a sender alive since `launched`
    /// could have sent at one per `period` (plus one). Messages wait in the socket while a loaded
    /// machine delays this reader, so a count over a window is not a rate; the sender's lifetime
    /// bounds it from above whenever the reader gets to run.
    public func watchdogPings(for seconds: Double, since launched: ContinuousClock.Instant,
                              period: Duration) async -> (count: Int, most: Int) {
        let count = await collect(for: seconds).filter { $0 == "WATCHDOG=1" }.count
        return (count, Int(launched.duration(to: .now) / period) + 1)
    }

    /// Discards what has arrived so far; returns it.
    @discardableResult
    public func drain() -> [String] {
        var out: [String] = []
        while let m = next(wait: false) { out.append(m) }
        return out
    }

    private func next(wait: Bool = true) -> String? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(fd, &buffer, buffer.count, wait ? 0 : Int32(MSG_DONTWAIT))
        return count > 0 ? String(decoding: buffer[0..<count], as: UTF8.self) : nil
    }
}
