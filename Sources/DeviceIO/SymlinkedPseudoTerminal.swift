import CheckpointCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A simulated pluggable serial device: a `PseudoTerminal` behind a stable symlink
/// (e.g. `/tmp/x/lu90614 → /dev/pts/7`), the way `/dev/serial/by-id/…` points at the current
/// `ttyUSBn`. `unplug()` closes the PTY (the program's port sees a hangup) and removes the link;
/// `replug()` makes a new PTY and points the link at it, so a `SerialPort` opened on the link path
/// reopens onto the new device.
///
/// Concurrency: the current terminal is guarded by a `Mutex`.
public final class SymlinkedPseudoTerminal: Sendable {
    /// The stable path a program opens.
    public let linkPath: String
    public let holdSlaveOpen: Bool
    private let current = Mutex<PseudoTerminal?>(nil)

    /// Creates a PTY and the link (an existing file or link at `linkPath` is replaced; the parent
    /// directory must exist).
    public init(linkPath: String, holdSlaveOpen: Bool = true) throws {
        self.linkPath = linkPath
        self.holdSlaveOpen = holdSlaveOpen
        try replug()
    }

    deinit { unplug() }

    /// The PTY the link points at now, nil while unplugged.
    public var terminal: PseudoTerminal? { current.withLock { $0 } }
    /// True while a PTY is behind the link.
    public var isPlugged: Bool { terminal != nil }

    /// Closes the PTY and removes the link. Idempotent.
    public func unplug() {
        let old = current.withLock { value -> PseudoTerminal? in
            defer { value = nil }
            return value
        }
        unlink(linkPath)
        old?.close()
    }

    /// Unplugs whatever is plugged, creates a new PTY and atomically points the link at it.
    @discardableResult
    public func replug() throws -> PseudoTerminal {
        unplug()
        let terminal = try PseudoTerminal(holdSlaveOpen: holdSlaveOpen)
        let temporary = linkPath + ".new-\(getpid())"
        unlink(temporary)
        guard symlink(terminal.slavePath, temporary) == 0 else {
            let code = errno
            terminal.close()
            throw PseudoTerminalError(call: "symlink", path: temporary, errno: code)
        }
        guard rename(temporary, linkPath) == 0 else {
            let code = errno
            unlink(temporary)
            terminal.close()
            throw PseudoTerminalError(call: "rename", path: linkPath, errno: code)
        }
        current.withLock { $0 = terminal }
        return terminal
    }
}
