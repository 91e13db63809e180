import Foundation
import Testing
@testable import DeviceIO
#if canImport(Glibc)
import Glibc
#endif

@Suite("systemd notification")
struct SystemdNotifierTests {
    /// Binds a datagram socket at `path` and returns its fd.
    private func listen(at path: String) throws -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &addr.sun_path) { $0.copyBytes(from: Array(path.utf8) + [0]) }
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        try #require(rc == 0)
        return fd
    }

    @Test("READY=1 and a status arrive as one datagram on the notify socket")
    func readyDatagram() throws {
        let dir = NSTemporaryDirectory() + "notify-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/notify.sock"
        let fd = try listen(at: path)
        defer { close(fd) }
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": path, "WATCHDOG_USEC": "30000000"])
        #expect(notifier.ready(status: "2 devices"))
        var buffer = [UInt8](repeating: 0, count: 256)
        let n = recv(fd, &buffer, buffer.count, Int32(MSG_DONTWAIT))
        #expect(n > 0)
        #expect(String(decoding: buffer[..<max(n, 0)], as: UTF8.self) == "READY=1\nSTATUS=2 devices")
        #expect(notifier.watchdogInterval == .seconds(30))
    }

    @Test("Outside systemd every notification is a no-op")
    func noSocket() {
        let notifier = SystemdNotifier(environment: [:])
        #expect(!notifier.ready())
        #expect(notifier.watchdogInterval == nil)
    }

    @Test("A watchdog meant for another process is ignored")
    func watchdogForOtherPid() {
        let notifier = SystemdNotifier(environment: ["WATCHDOG_USEC": "1000000", "WATCHDOG_PID": "1"])
        #expect(notifier.watchdogInterval == nil)
    }
}
