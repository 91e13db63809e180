import CheckpointCore
import DeviceIO
import Foundation
import TestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("Serial port over real pseudo-terminals")
struct SerialPortTests {
    /// A reopen policy fast enough for tests (the product default is 100 ms → 2 s).
    static let quickReopen = SerialPort.ReopenPolicy(initialDelay: .milliseconds(20), maximumDelay: .milliseconds(200))

    @Test("Settings are really applied to the tty: speed, character size, parity, stop bits, flow control, raw mode",
          arguments: [
              SerialSettings(baudRate: 9600),
              SerialSettings(baudRate: 19200, dataBits: 7, parity: .even, stopBits: 2),
              SerialSettings(baudRate: 115200, dataBits: 8, parity: .odd, stopBits: 1, flowControl: .rtscts),
              SerialSettings(baudRate: 921600, dataBits: 5, parity: .none, stopBits: 2),
          ])
    func settingsApplied(settings: SerialSettings) throws {
        let loop = try EventLoop(name: "t-settings")
        defer { loop.stop() }
        let pty = try PseudoTerminal()
        defer { pty.close() }
        let port = try SerialPort(path: pty.slavePath, settings: settings, loop: loop)
        try port.open()
        defer { port.close() }
        let fd = try #require(port.fileDescriptor)
        var attributes = termios()
        #expect(tcgetattr(fd, &attributes) == 0)
        let expectedSpeed: [Int: Int32] = [9600: B9600, 19200: B19200, 115200: B115200, 921600: B921600]
        #expect(cfgetospeed(&attributes) == speed_t(try #require(expectedSpeed[settings.baudRate])))
        #expect(cfgetispeed(&attributes) == speed_t(try #require(expectedSpeed[settings.baudRate])))
        // The PTY driver forces CS8 and clears PARENB (it has no wire); real UARTs keep them. The
        // pure termios computation is checked for those flags in TermiosComputationTests.
        #expect(attributes.c_cflag & tcflag_t(CSIZE) == tcflag_t(CS8))
        #expect(attributes.c_cflag & tcflag_t(PARENB) == 0)
        #expect((attributes.c_cflag & tcflag_t(PARODD) != 0) == (settings.parity == .odd))
        #expect((attributes.c_cflag & tcflag_t(CSTOPB) != 0) == (settings.stopBits == 2))
        #expect((attributes.c_cflag & tcflag_t(CRTSCTS) != 0) == (settings.flowControl == .rtscts))
        #expect(attributes.c_lflag & (tcflag_t(ICANON) | tcflag_t(ECHO) | tcflag_t(ISIG) | tcflag_t(IEXTEN)) == 0, "raw: no line discipline")
        #expect(attributes.c_iflag & (tcflag_t(ICRNL) | tcflag_t(IXON) | tcflag_t(ISTRIP)) == 0, "raw: no input translation")
        #expect(attributes.c_oflag & tcflag_t(OPOST) == 0, "raw: no output processing")
        #expect(attributes.c_cflag & tcflag_t(CREAD) != 0 && attributes.c_cflag & tcflag_t(CLOCAL) != 0)
    }

    @Test("An unsupported baud rate is rejected with an error naming the path and the rate")
    func unsupportedBaudRejected() throws {
        let loop = try EventLoop(name: "t-baud")
        defer { loop.stop() }
        do {
            _ = try SerialPort(path: "/dev/ttyUSB7", settings: SerialSettings(baudRate: 14400), loop: loop)
            Issue.record("14400 baud was accepted")
        } catch let error as SerialPortError {
            guard case .invalidSettings(let path, let problem) = error else {
                Issue.record("wrong error \(error)")
                return
            }
            #expect(path == "/dev/ttyUSB7")
            #expect(problem.contains("14400"))
            #expect(error.description.contains("/dev/ttyUSB7") && error.description.contains("14400"))
        }
    }

    @Test("Opening a path that does not exist fails with the path and the errno text")
    func missingPathError() throws {
        let loop = try EventLoop(name: "t-missing")
        defer { loop.stop() }
        let port = try SerialPort(path: "/nonexistent/ttyUSB9", settings: SerialSettings(), loop: loop)
        #expect(throws: SerialPortError.systemCall(path: "/nonexistent/ttyUSB9", call: "open", errno: ENOENT)) { try port.open() }
        let text = SerialPortError.systemCall(path: "/nonexistent/ttyUSB9", call: "open", errno: ENOENT).description
        #expect(text.contains("/nonexistent/ttyUSB9") && text.contains("No such file or directory"))
    }

    @Test("Bytes travel both ways between the port and the PTY master, and are counted")
    func bytesBothWays() async throws {
        let loop = try EventLoop(name: "t-bytes")
        defer { loop.stop() }
        let pty = try PseudoTerminal()
        defer { pty.close() }
        let port = try SerialPort(path: pty.slavePath, settings: SerialSettings(baudRate: 9600), loop: loop)
        let received = Recorder<[UInt8]>()
        port.onReceive { received.append($0) }
        try port.open()
        defer { port.close() }

        let fromDevice: [UInt8] = [0xFE, 0xAA, 0x28, 0x1E, 0x00, 0x0A, 0x0D, 0x00, 0xEE]
        #expect(try pty.write(fromDevice) == fromDevice.count)
        #expect(await waitUntil { received.values.flatMap { $0 } == fromDevice }, "raw bytes arrive unchanged (no CR/LF translation)")

        let toDevice = Array("A5 15 BA\r\n".utf8) + [0x00, 0xFF]
        port.write(toDevice)
        var atMaster: [UInt8] = []
        #expect(await waitUntil {
            atMaster += (try? pty.read()) ?? []
            return atMaster == toDevice
        })
        #expect(port.counters.bytesIn == UInt64(fromDevice.count), "\(port.counters) \(port.state)")
        #expect(await waitUntil { port.counters.bytesOut == UInt64(toDevice.count) }, "\(port.counters) \(port.state)")
    }

    @Test("A large write is queued and drained completely while the device reads slowly")
    func largeWriteDrains() async throws {
        let loop = try EventLoop(name: "t-drain")
        defer { loop.stop() }
        let pty = try PseudoTerminal()
        defer { pty.close() }
        let port = try SerialPort(path: pty.slavePath, settings: SerialSettings(baudRate: 115200), loop: loop)
        try port.open()
        defer { port.close() }
        let payload = (0..<60_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        port.write(payload)
        var atMaster: [UInt8] = []
        // A deadline, not a speed target: 60 kB through a PTY read 1 kB at a time on a loaded machine.
        #expect(await waitUntil(within: .seconds(15)) {
            atMaster += (try? pty.read(maxBytes: 1024)) ?? []
            return atMaster.count >= payload.count
        })
        // elementsEqual, not ==: a failed == of two 60 kB arrays makes the test library compute a
        // diff that holds one of the test pool's threads for many seconds.
        let firstDifference = zip(atMaster, payload).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        #expect(atMaster.count == payload.count && atMaster.elementsEqual(payload),
                "\(atMaster.count) of \(payload.count) bytes, first difference at \(firstDifference.map(String.init) ?? "none")")
        #expect(await waitUntil(within: .seconds(10)) { port.counters.bytesOut == UInt64(payload.count) })
        #expect(port.counters.bytesDropped == 0)
    }

    @Test("An exclusive port sets TIOCEXCL on the tty (checked with TIOCGEXCL); a shared one does not")
    func exclusiveModeSet() throws {
        let loop = try EventLoop(name: "t-excl")
        defer { loop.stop() }
        let pty = try PseudoTerminal()
        defer { pty.close() }
        let exclusive = try SerialPort(path: pty.slavePath, settings: SerialSettings(), loop: loop, exclusive: true)
        try exclusive.open()
        #expect(try exclusive.exclusiveModeIsSet())
        exclusive.close()
        #expect(exclusive.state == .closed)
        let shared = try SerialPort(path: pty.slavePath, settings: SerialSettings(), loop: loop, exclusive: false)
        try shared.open()
        defer { shared.close() }
        #expect(try !shared.exclusiveModeIsSet(), "closing the exclusive port cleared the flag")
    }

    @Test("A second open of an exclusive tty fails with EBUSY unless the opener has CAP_SYS_ADMIN")
    func exclusiveBlocksSecondOpen() throws {
        let loop = try EventLoop(name: "t-excl2")
        defer { loop.stop() }
        let pty = try PseudoTerminal(holdSlaveOpen: false)
        defer { pty.close() }
        let port = try SerialPort(path: pty.slavePath, settings: SerialSettings(), loop: loop)
        try port.open()
        defer { port.close() }
        #expect(try port.exclusiveModeIsSet())
        let second = open(pty.slavePath, O_RDWR | O_NOCTTY | O_NONBLOCK)
        let code = errno
        if second >= 0 { close(second) }
        if Self.hasCapSysAdmin() {
            #expect(second >= 0, "root with CAP_SYS_ADMIN bypasses TIOCEXCL")
        } else {
            #expect(second < 0 && code == EBUSY)
        }
    }

    @Test("Opening an already open port again does not open a second descriptor")
    func openTwiceIsIdempotent() throws {
        let loop = try EventLoop(name: "t-open2")
        defer { loop.stop() }
        let pty = try PseudoTerminal()
        defer { pty.close() }
        let port = try SerialPort(path: pty.slavePath, settings: SerialSettings(), loop: loop)
        try port.open()
        defer { port.close() }
        let first = port.fileDescriptor
        try port.open()
        #expect(port.fileDescriptor == first)
    }

    /// Whether this process has CAP_SYS_ADMIN (bit 21 of CapEff in /proc/self/status).
    static func hasCapSysAdmin() -> Bool {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("CapEff:") }),
              let mask = UInt64(line.dropFirst("CapEff:".count).trimmingCharacters(in: .whitespaces), radix: 16) else { return false }
        return mask & (1 << 21) != 0
    }

    @Test("Closing the PTY master is detected as a disconnect, reported and counted")
    func disconnectDetected() async throws {
        let loop = try EventLoop(name: "t-unplug")
        defer { loop.stop() }
        let pty = try PseudoTerminal()
        // No reopen during the test: the freed /dev/pts number may go to another test's PTY at once.
        let never = SerialPort.ReopenPolicy(initialDelay: .seconds(600), maximumDelay: .seconds(600))
        let port = try SerialPort(path: pty.slavePath, settings: SerialSettings(), loop: loop, reopenPolicy: never)
        let states = Recorder<SerialPort.State>()
        port.onStateChange { states.append($0) }
        try port.open()
        defer { port.close() }
        pty.close()
        #expect(await waitUntil { port.counters.disconnects == 1 && states.values.count >= 2 })
        #expect(states.values.first == .open)
        guard states.values.count >= 2, case .disconnected(let reason) = states.values[1] else {
            Issue.record("no disconnected state: \(states.values)")
            return
        }
        #expect(!reason.isEmpty)
        #expect(port.fileDescriptor == nil)
        port.write([1, 2, 3])
        #expect(port.counters.bytesDropped == 3, "writes while disconnected are dropped and counted")
    }

    @Test("A port on a symlinked path reopens by itself when the link comes back, and bytes flow again")
    func automaticReopenOnSymlink() async throws {
        let directory = try TestEnvironment.temporaryDirectory("deviceio-reopen")
        defer { try? FileManager.default.removeItem(at: directory) }
        let device = try SymlinkedPseudoTerminal(linkPath: directory.appendingPathComponent("lu90614").path)
        defer { device.unplug() }
        let loop = try EventLoop(name: "t-reopen")
        defer { loop.stop() }
        let port = try SerialPort(path: device.linkPath, settings: SerialSettings(), loop: loop, reopenPolicy: Self.quickReopen)
        let received = Recorder<[UInt8]>()
        port.onReceive { received.append($0) }
        try port.open()
        defer { port.close() }

        device.unplug()
        #expect(!FileManager.default.fileExists(atPath: device.linkPath))
        #expect(await waitUntil { port.counters.disconnects == 1 })
        #expect(await waitUntil { port.counters.reopenAttempts >= 2 }, "reopen attempts keep running while the link is missing")
        #expect(!port.state.isOpen)

        let replugged = try device.replug()
        #expect(await waitUntil { port.state == .reopened })
        #expect(port.counters.reopens == 1)
        try replugged.write(Array("again".utf8))
        #expect(await waitUntil { received.values.flatMap { $0 } == Array("again".utf8) })
    }

    @Test("reopenNow reopens at once, without waiting for a long backoff")
    func reopenNowSkipsBackoff() async throws {
        let directory = try TestEnvironment.temporaryDirectory("deviceio-reopennow")
        defer { try? FileManager.default.removeItem(at: directory) }
        let device = try SymlinkedPseudoTerminal(linkPath: directory.appendingPathComponent("scanner").path)
        defer { device.unplug() }
        let loop = try EventLoop(name: "t-reopennow")
        defer { loop.stop() }
        let slow = SerialPort.ReopenPolicy(initialDelay: .seconds(600), maximumDelay: .seconds(600))
        let port = try SerialPort(path: device.linkPath, settings: SerialSettings(), loop: loop, reopenPolicy: slow)
        try port.open()
        defer { port.close() }
        device.unplug()
        #expect(await waitUntil { port.counters.disconnects == 1 })
        try device.replug()
        #expect(port.counters.reopenAttempts == 0)
        port.reopenNow()
        #expect(await waitUntil { port.state == .reopened })
        #expect(port.counters.reopenAttempts == 1)
    }

    @Test("A port started on a missing path reports disconnected and opens when the path appears")
    func startOnMissingPath() async throws {
        let directory = try TestEnvironment.temporaryDirectory("deviceio-start")
        defer { try? FileManager.default.removeItem(at: directory) }
        let linkPath = directory.appendingPathComponent("late-device").path
        let loop = try EventLoop(name: "t-start")
        defer { loop.stop() }
        let port = try SerialPort(path: linkPath, settings: SerialSettings(), loop: loop, reopenPolicy: Self.quickReopen)
        let states = Recorder<SerialPort.State>()
        port.onStateChange { states.append($0) }
        port.start()
        defer { port.close() }
        guard case .disconnected(let reason) = port.state else {
            Issue.record("expected disconnected, got \(port.state)")
            return
        }
        #expect(reason.contains(linkPath))
        let device = try SymlinkedPseudoTerminal(linkPath: linkPath)
        defer { device.unplug() }
        #expect(await waitUntil { port.state.isOpen })
        #expect(port.counters.disconnects == 0, "never having been open is not a disconnect")
    }

    @Test("A port recognises a hotplugged device by devnode, by link, or by its symlink's target")
    func refersToDevice() throws {
        let directory = try TestEnvironment.temporaryDirectory("deviceio-refers")
        defer { try? FileManager.default.removeItem(at: directory) }
        let device = try SymlinkedPseudoTerminal(linkPath: directory.appendingPathComponent("thermo").path)
        defer { device.unplug() }
        let loop = try EventLoop(name: "t-refers")
        defer { loop.stop() }
        let port = try SerialPort(path: device.linkPath, settings: SerialSettings(), loop: loop)
        let slave = try #require(device.terminal?.slavePath)
        #expect(port.refers(to: DeviceDescription(subsystem: "tty", devnode: slave)))
        #expect(port.refers(to: DeviceDescription(subsystem: "tty", devnode: "/dev/ttyUSB5", links: [device.linkPath])))
        #expect(!port.refers(to: DeviceDescription(subsystem: "tty", devnode: "/dev/ttyUSB5", links: ["/dev/serial/by-id/other"])))
    }

    @Test("A port dropped without close lets go of its descriptor, so the loop goes back to sleep")
    func droppedPortReleasesDescriptor() async throws {
        let loop = try EventLoop(name: "t-drop")
        defer { loop.stop() }
        let pty = try PseudoTerminal()
        defer { pty.close() }
        var fd: Int32?
        do {
            let port = try SerialPort(path: pty.slavePath, settings: SerialSettings(), loop: loop)
            try port.open()
            fd = port.fileDescriptor
        }
        let descriptor = try #require(fd)
        // (The number may already serve another test's file, but never this PTY's slave again.)
        let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(descriptor)")
        #expect(target != pty.slavePath, "the descriptor was closed")
        // Bytes arrive for nobody: the loop must not spin on them.
        try pty.write(Array("unread".utf8))
        let waitChannel = { (try? String(contentsOfFile: "/proc/self/task/\(loop.threadID)/wchan", encoding: .utf8)) ?? "" }
        #expect(await waitUntil { waitChannel().contains("epoll") })
    }
}
