import DeviceIO
import Foundation
import TestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("Pseudo-terminals for simulated devices")
struct PseudoTerminalTests {
    @Test("A new PTY's slave exists and is in raw mode (no echo, no canonical input, no output processing)")
    func slaveIsRaw() throws {
        let pty = try PseudoTerminal()
        defer { pty.close() }
        #expect(pty.slavePath.hasPrefix("/dev/pts/"))
        let fd = open(pty.slavePath, O_RDWR | O_NOCTTY | O_NONBLOCK)
        #expect(fd >= 0)
        defer { close(fd) }
        var attributes = termios()
        #expect(tcgetattr(fd, &attributes) == 0)
        #expect(attributes.c_lflag & (tcflag_t(ECHO) | tcflag_t(ICANON)) == 0)
        #expect(attributes.c_oflag & tcflag_t(OPOST) == 0)
    }

    @Test("Closing a PTY removes its slave device node")
    func closeRemovesSlave() throws {
        let pty = try PseudoTerminal()
        let path = pty.slavePath
        #expect(FileManager.default.fileExists(atPath: path))
        pty.close()
        #expect(pty.isClosed)
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test("A symlinked PTY's link follows unplug (removed) and replug (points at the new slave)")
    func symlinkFollowsPlugging() throws {
        let directory = try TestEnvironment.temporaryDirectory("deviceio-link")
        defer { try? FileManager.default.removeItem(at: directory) }
        let linkPath = directory.appendingPathComponent("gy-mcu90614").path
        let device = try SymlinkedPseudoTerminal(linkPath: linkPath)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: linkPath) == device.terminal?.slavePath)
        device.unplug()
        #expect(!device.isPlugged)
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: linkPath)) == nil)
        let again = try device.replug()
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: linkPath) == again.slavePath)
        #expect(FileManager.default.fileExists(atPath: again.slavePath))
        device.unplug()
    }
}
