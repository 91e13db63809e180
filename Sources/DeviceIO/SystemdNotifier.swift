import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Tells systemd about the service's state through `$NOTIFY_SOCKET` (sd_notify(3) protocol:
/// newline-separated `KEY=VALUE` in one datagram), without linking libsystemd. Outside systemd
/// (no `$NOTIFY_SOCKET`) every call is a no-op that returns false.
public final class SystemdNotifier: Sendable {
    /// The socket path; a leading `@` means an abstract socket.
    public let socketPath: String?
    /// `WATCHDOG_USEC` as a duration when the watchdog is enabled for this process.
    public let watchdogInterval: Duration?

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        socketPath = environment["NOTIFY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
        let pidMatches = environment["WATCHDOG_PID"].map { Int32($0) == getpid() } ?? true
        if pidMatches, let usec = environment["WATCHDOG_USEC"].flatMap(UInt64.init), usec > 0 {
            watchdogInterval = .microseconds(Int64(usec))
        } else {
            watchdogInterval = nil
        }
    }

    /// `READY=1`: start-up finished (journal open, control socket listening, lanes built).
    @discardableResult public func ready(status: String? = nil) -> Bool {
        send(["READY=1"] + (status.map { ["STATUS=" + $0.replacingOccurrences(of: "\n", with: " ")] } ?? []))
    }

    /// `STOPPING=1`.
    @discardableResult public func stopping() -> Bool { send(["STOPPING=1"]) }

    /// `WATCHDOG=1`: call at half `watchdogInterval` from the event loop.
    @discardableResult public func watchdog() -> Bool { send(["WATCHDOG=1"]) }

    /// `RELOADING=1` with `MONOTONIC_USEC` (CLOCK_MONOTONIC, µs), as systemd ≥ 253 expects for
    /// `Type=notify-reload`; follow with `ready()` once the new configuration is in effect (or refused).
    @discardableResult public func reloading() -> Bool {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return send(["RELOADING=1", "MONOTONIC_USEC=\(UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000)"])
    }

    /// `STATUS=…`, shown by `systemctl status` (one line: newlines become spaces).
    @discardableResult public func status(_ text: String) -> Bool {
        send(["STATUS=" + text.replacingOccurrences(of: "\n", with: " ")])
    }

    /// Sends one datagram; true if it was delivered.
    @discardableResult public func send(_ assignments: [String]) -> Bool {
        guard let path = socketPath else { return false }
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        var pathBytes = Array(path.utf8)
        if pathBytes.first == UInt8(ascii: "@") { pathBytes[0] = 0 }
        let capacity = MemoryLayout.size(ofValue: addr.sun_path)
        guard pathBytes.count < capacity else { return false }
        withUnsafeMutableBytes(of: &addr.sun_path) { $0.copyBytes(from: pathBytes) }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + pathBytes.count + (pathBytes.first == 0 ? 0 : 1))
        let message = Array(assignments.joined(separator: "\n").utf8)
        let sent = withUnsafePointer(to: &addr) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                sendto(fd, message, message.count, Int32(MSG_NOSIGNAL), address, length)
            }
        }
        return sent == message.count
    }
}
