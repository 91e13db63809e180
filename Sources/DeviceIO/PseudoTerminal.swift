import CLinuxShims
import CheckpointCore
#if canImport(Glibc)
import Glibc
#endif

/// A pseudo-terminal pair: the master side is the simulated device (a simulator reads what the
/// program under test sends and writes what the device answers); the slave path is what the
/// program opens as its serial port.
///
/// The slave is put in raw mode (no echo, no line discipline) at creation. With `holdSlaveOpen`
/// (the default) this object keeps one slave descriptor open, so the master never sees the
/// hangup/EIO the kernel reports while no program has the slave open (a port closing and
/// reopening then looks like a device that stayed plugged in). `close()` closes the master, which
/// hangs up every open slave descriptor — what a program sees when a USB adapter is unplugged.
///
/// Concurrency: the descriptors are immutable and `close()` is guarded.
/// `write`/`read` are non-blocking and may be called from any one thread at a time.
public final class PseudoTerminal: Sendable {
    /// The master descriptor (non-blocking, close-on-exec). Invalid after `close()`.
    public let masterFileDescriptor: Int32
    /// The slave device path, e.g. `/dev/pts/7`.
    public let slavePath: String
    private let heldSlave: Int32?
    private let closed = Mutex(false)

    /// Opens a new pair; throws with the failing call and errno text.
    public init(holdSlaveOpen: Bool = true) throws {
        var name = [CChar](repeating: 0, count: 128)
        let master = cp_open_pty_master(&name, name.count)
        guard master >= 0 else { throw PseudoTerminalError(call: "posix_openpt/grantpt/unlockpt", errno: errno) }
        let slavePath = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if let code = Termios.makeRaw(master) {
            Glibc.close(master)
            throw PseudoTerminalError(call: "raw mode (tcsetattr)", path: slavePath, errno: code)
        }
        var held: Int32?
        if holdSlaveOpen {
            let fd = Glibc.open(slavePath, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)
            guard fd >= 0 else {
                let code = errno
                Glibc.close(master)
                throw PseudoTerminalError(call: "open", path: slavePath, errno: code)
            }
            held = fd
        }
        self.masterFileDescriptor = master
        self.slavePath = slavePath
        self.heldSlave = held
    }

    deinit { close() }

    /// True after `close()`.
    public var isClosed: Bool { closed.withLock { $0 } }

    /// Writes `bytes` to the master (the program reading the slave receives them). Returns the
    /// number written (fewer when the kernel buffer is full).
    @discardableResult
    public func write(_ bytes: [UInt8]) throws -> Int {
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes { Glibc.write(masterFileDescriptor, $0.baseAddress, $0.count) }
            if count > 0 { offset += count; continue }
            if count < 0 && errno == EINTR { continue }
            if count < 0 && errno == EAGAIN { break }
            throw PseudoTerminalError(call: "write", path: slavePath, errno: errno)
        }
        return offset
    }

    /// Reads what is waiting on the master (what the program wrote to the slave); empty if nothing is.
    public func read(maxBytes: Int = 4096) throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: maxBytes)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(masterFileDescriptor, $0.baseAddress, $0.count) }
            if count >= 0 { return Array(buffer[0..<count]) }
            if errno == EINTR { continue }
            if errno == EAGAIN || errno == EIO { return [] }
            throw PseudoTerminalError(call: "read", path: slavePath, errno: errno)
        }
    }

    /// Closes the master (hanging up the slave for everyone who has it open) and the held slave
    /// descriptor; the slave path disappears. Idempotent.
    public func close() {
        let wasClosed = closed.withLock { value -> Bool in
            defer { value = true }
            return value
        }
        if wasClosed { return }
        Glibc.close(masterFileDescriptor)
        if let heldSlave { Glibc.close(heldSlave) }
    }
}
