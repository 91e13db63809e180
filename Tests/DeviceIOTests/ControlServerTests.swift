import CheckpointCore
import Control
import DeviceIO
import Foundation
import TestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("Control socket server")
struct ControlServerTests {
    /// A running server on a socket in its own temp dir (inside a folder that does not exist yet).
    final class Fixture {
        let directory: URL
        let path: String
        let loop: EventLoop
        let router = ControlRouter()
        let server: ControlServer

        init(maxLineBytes: Int = ControlProtocol.maxLineBytes) throws {
            directory = try TestEnvironment.temporaryDirectory("ctl")
            path = directory.appendingPathComponent("run/checkpoint/control.sock").path
            loop = try EventLoop(name: "t-control")
            router.register(named: "echo") { request in
                .success(request.arguments["text"] ?? "", json: "{\"echoed\":true}")
            }
            server = ControlServer(path: path, router: router, loop: loop, maxLineBytes: maxLineBytes)
        }

        deinit {
            server.stop()
            loop.stop()
            try? FileManager.default.removeItem(at: directory)
        }
    }

    @Test("A ControlClient request over a real Unix socket reaches the router and its response comes back")
    func roundTrip() async throws {
        let fixture = try Fixture()
        try fixture.server.start()
        let path = fixture.path
        let (first, second, unknown) = try await offPool {
            let client = try ControlClient(path: path, timeoutSeconds: 5)
            return (try client.send(ControlRequest(command: "echo", arguments: ["text": "体温正常"])),
                    try client.send(ControlRequest(command: "echo", arguments: ["text": "again"])),
                    try client.send(ControlRequest(command: "horn.nothing")))
        }
        #expect(first.ok && first.output == "体温正常" && first.json == "{\"echoed\":true}")
        #expect(second.output == "again", "one connection serves several requests in order")
        #expect(!unknown.ok && unknown.error?.contains("horn.nothing") == true && unknown.error?.contains("echo") == true)
        #expect(fixture.server.servedRequests == 3)
    }

    @Test("The socket file is created with mode 0660 in a parent directory made for it, and removed at stop")
    func socketFileMode() throws {
        let fixture = try Fixture()
        try fixture.server.start()
        var info = stat()
        #expect(lstat(fixture.path, &info) == 0)
        #expect(info.st_mode & S_IFMT == S_IFSOCK)
        #expect(info.st_mode & 0o777 == 0o660)
        fixture.server.stop()
        #expect(!FileManager.default.fileExists(atPath: fixture.path))
    }

    @Test("A stale socket file is replaced, a live one is refused, and a regular file in the way is left alone")
    func stalePathHandling() async throws {
        let fixture = try Fixture()
        // A stale socket: bound, then its listener closed.
        try FileManager.default.createDirectory(atPath: (fixture.path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        let stale = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(fixture.path.utf8) + [0]) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(stale, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        #expect(bound == 0)
        close(stale)
        try fixture.server.start()
        let path = fixture.path
        #expect(try await offPool { try ControlClient(path: path).send(ControlRequest(command: "echo", arguments: ["text": "x"])).ok })

        let second = ControlServer(path: fixture.path, router: fixture.router, loop: fixture.loop)
        #expect(throws: ControlServerError.alreadyInUse(path: fixture.path)) { try second.start() }

        let filePath = fixture.directory.appendingPathComponent("not-a-socket").path
        try "keep me".write(toFile: filePath, atomically: false, encoding: .utf8)
        let third = ControlServer(path: filePath, router: fixture.router, loop: fixture.loop)
        #expect(throws: ControlServerError.notASocket(path: filePath)) { try third.start() }
        #expect(try String(contentsOfFile: filePath, encoding: .utf8) == "keep me")
    }

    @Test("Malformed lines get a failure response, are counted, and the connection keeps serving")
    func malformedLinesRejected() async throws {
        let fixture = try Fixture()
        try fixture.server.start()
        let path = fixture.path
        let replies = try await offPool {
            let raw = try RawLineSocket(path: path)
            try raw.send("this is not json\n{\"command\": 42}\n\n[1,2]\n{\"command\":\"echo\",\"arguments\":{\"text\":\"still here\"}}\n")
            return try (0..<4).map { _ in try JSONDecoder().decode(ControlResponse.self, from: Data(raw.readLine().utf8)) }
        }
        #expect(replies[0].ok == false && replies[0].error?.contains("malformed request") == true)
        #expect(replies[1].ok == false && replies[1].error?.contains("command") == true)
        #expect(replies[2].ok == false)
        #expect(replies[3].ok && replies[3].output == "still here")
        #expect(fixture.server.rejectedLines == 3)
    }

    @Test("An oversized line gets a failure response and the connection is closed; the server keeps running")
    func oversizedLineRejected() async throws {
        let fixture = try Fixture(maxLineBytes: 1024)
        try fixture.server.start()
        let path = fixture.path
        let (reply, rest, after) = try await offPool {
            let raw = try RawLineSocket(path: path)
            try raw.send(String(repeating: "x", count: 5000))
            let reply = try JSONDecoder().decode(ControlResponse.self, from: Data(raw.readLine().utf8))
            let rest = try raw.readToEnd()
            let after = try ControlClient(path: path, timeoutSeconds: 5).send(ControlRequest(command: "echo", arguments: ["text": "ok"]))
            return (reply, rest, after)
        }
        #expect(!reply.ok && reply.error?.contains("longer than 1024 bytes") == true)
        #expect(rest.isEmpty, "the server closed the connection")
        #expect(after.ok)
    }

    @Test("A client that hangs up before its reply does not disturb the server (no SIGPIPE), which goes on serving")
    func clientGoneBeforeReply() async throws {
        let fixture = try Fixture()
        fixture.router.register(named: "slow") { _ in
            try? await Task.sleep(for: .milliseconds(100))
            return .success(String(repeating: "x", count: 200_000))
        }
        try fixture.server.start()
        let path = fixture.path
        try await offPool {
            let raw = try RawLineSocket(path: path)
            try raw.send("{\"command\":\"slow\",\"arguments\":{}}\n")
        }
        #expect(await waitUntil { fixture.server.servedRequests == 1 })
        #expect(await waitUntil { fixture.server.connectionCount == 0 }, "the dead connection is closed")
        let reply = try await offPool { try ControlClient(path: path).send(ControlRequest(command: "echo", arguments: ["text": "alive"])) }
        #expect(reply.output == "alive")
    }

    @Test("A client that half-closes after its request (like socat) still gets the reply, then the server closes")
    func halfClosedClientGetsReply() async throws {
        let fixture = try Fixture()
        fixture.router.register(named: "slow") { _ in
            try? await Task.sleep(for: .milliseconds(50))
            return .success("late but delivered")
        }
        try fixture.server.start()
        let path = fixture.path
        let (line, rest) = try await offPool {
            let raw = try RawLineSocket(path: path)
            try raw.send("{\"command\":\"slow\",\"arguments\":{}}\n")
            raw.shutdownWriting()
            return (try raw.readLine(), try raw.readToEnd())
        }
        let reply = try JSONDecoder().decode(ControlResponse.self, from: Data(line.utf8))
        #expect(reply.ok && reply.output == "late but delivered")
        #expect(rest.isEmpty)
        #expect(await waitUntil { fixture.server.connectionCount == 0 })
    }

    @Test("devices.list registered on the router returns the discovered devices as JSON entries and a table")
    func devicesListHandler() async throws {
        let fixture = try Fixture()
        let ch340 = DeviceDescription(subsystem: "tty", devnode: "/dev/ttyUSB0", syspath: "/sys/x", vendorID: "1a86",
                                      productID: "7523", portPath: "1-1.2", links: ["/dev/serial/by-path/p"])
        let uart = DeviceDescription(subsystem: "tty", devnode: "/dev/ttyS0")
        DevicesListCommand.register(on: fixture.router, discover: { [ch340, uart] },
                                    match: { $0.vendorID == "1a86" ? "lu90614" : nil })
        try fixture.server.start()
        let path = fixture.path
        let response = try await offPool { try ControlClient(path: path).send(ControlRequest(.devicesList)) }
        let entries = try DevicesListCommand.entries(from: response)
        #expect(entries == [DeviceListEntry(device: ch340, model: "lu90614"), DeviceListEntry(device: uart, model: nil)])
        #expect(response.output.contains("usb:1a86:7523@1-1.2") && response.output.contains("lu90614"))
        #expect(response.output.contains("1a86:7523") && response.output.contains("/dev/serial/by-path/p"))
    }
}

/// A plain blocking Unix-socket client for sending arbitrary bytes (ControlClient only sends valid requests).
final class RawLineSocket {
    private let fd: Int32
    private var buffer: [UInt8] = []

    init(path: String) throws {
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8) + [0]) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard rc == 0 else { throw ControlClient.Failure.io("connect: \(errno)") }
    }

    deinit { close(fd) }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { throw ControlClient.Failure.io("write: \(errno)") }
            offset += n
        }
    }

    func shutdownWriting() { shutdown(fd, Int32(SHUT_WR)) }

    func readLine() throws -> String {
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                return line
            }
            guard try fill() > 0 else { throw ControlClient.Failure.protocolError("connection closed before a line") }
        }
    }

    func readToEnd() throws -> [UInt8] {
        while try fill() > 0 {}
        defer { buffer.removeAll() }
        return buffer
    }

    private func fill() throws -> Int {
        var chunk = [UInt8](repeating: 0, count: 4096)
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard n >= 0 else { throw ControlClient.Failure.io("read: errno \(errno) (timeout?)") }
        buffer.append(contentsOf: chunk[0..<n])
        return n
    }
}
