import CLinuxShims
import CheckpointCore
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// A serial device (USB-serial adapter, native UART, CDC-ACM, or a PTY slave) read and written
/// through an `EventLoop`.
///
/// - Opening: `open(2)` with `O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC` (a symlink path is
///   followed, so a stable `/dev/serial/by-id/…` link or a simulator's link works), `TIOCEXCL` when
///   `exclusive` (root bypasses it: the flag is set, not enforced against root), raw termios from
///   `SerialSettings` read back and verified, `TIOCSRS485` when `settings.rs485`, then input the
///   kernel buffered before the open is discarded (`tcflush(TCIFLUSH)`, counted in
///   `staleBytesDiscarded`): a reader never sees bytes from before it opened the line.
/// - Reading: the receive handler gets each chunk of bytes on the loop thread, in order.
/// - Writing: `write` queues bytes (up to `maxQueuedBytes`); the queue drains when the descriptor
///   is writable. Bytes that cannot be queued are dropped and counted.
/// - Disconnects: EOF, EIO/ENXIO/ENODEV or an epoll hangup/error closes the descriptor, reports
///   `.disconnected(reason)`, and starts reopen attempts on a loop timer with `reopenPolicy`'s
///   backoff (100 ms doubling to 2 s); `reopenNow()` tries at once (for udev "add" events). Success
///   reports `.reopened`.
///
/// Concurrency: mutable state is guarded by one `Mutex`, the descriptor is
/// read and written only on the loop thread, and handlers are called on the loop thread outside
/// the lock. `open`/`start` may be called from any thread; `write`, `reopenNow` and `close` too.
public final class SerialPort: Sendable {
    /// Receives bytes from the device, on the loop thread.
    public typealias ReceiveHandler = @Sendable ([UInt8]) -> Void
    /// Hears state transitions, on the loop thread (or the thread that called `open`/`start`/`close`).
    public typealias StateHandler = @Sendable (State) -> Void

    /// The path opened (may be a symlink).
    public let path: String
    public let settings: SerialSettings
    /// Whether the port sets TIOCEXCL (the daemon owns its devices: docs/contracts.md §8).
    public let exclusive: Bool
    public let reopenPolicy: ReopenPolicy
    /// The most bytes `write` keeps queued; more are dropped and counted.
    public let maxQueuedBytes: Int
    public let loop: EventLoop

    private struct Inner {
        var fd: Int32?
        var registration: EventLoop.Registration?
        var state: State = .closed
        var counters = Counters()
        var outbound: [UInt8] = []
        var watchingWritable = false
        var writeRetryTimer: EventLoop.TimerHandle?
        var reopenTimer: EventLoop.TimerHandle?
        var nextReopenDelay: Duration
        var everOpened = false
        var stopped = true
        var receiveHandler: ReceiveHandler?
        var stateHandler: StateHandler?
    }

    private let inner: Mutex<Inner>
    private let logger: Logger

    /// Validates `settings` (throws `.invalidSettings`); does not open anything yet.
    public init(path: String, settings: SerialSettings, loop: EventLoop, exclusive: Bool = true,
                reopenPolicy: ReopenPolicy = .standard, maxQueuedBytes: Int = 64 * 1024,
                logger: Logger = Logger(label: "checkpoint.serial")) throws {
        if let problem = Termios.problem(with: settings) { throw SerialPortError.invalidSettings(path: path, problem: problem) }
        self.path = path
        self.settings = settings
        self.loop = loop
        self.exclusive = exclusive
        self.reopenPolicy = reopenPolicy
        self.maxQueuedBytes = maxQueuedBytes
        var logger = logger
        logger[metadataKey: "device"] = "\(path)"
        self.logger = logger
        self.inner = Mutex(Inner(nextReopenDelay: reopenPolicy.initialDelay))
    }

    /// A port dropped without `close()` still lets go of its descriptor and its timer, so the loop
    /// is not left with a readable descriptor nobody reads.
    deinit {
        let (fd, registration, timer) = inner.withLock { ($0.fd, $0.registration, $0.reopenTimer) }
        if let timer { loop.cancel(timer) }
        if let registration { loop.deregister(registration) }
        if let fd { releaseDescriptor(fd) }
    }

    /// Sets the handler that receives bytes. Set it before `open`/`start` to miss nothing.
    public func onReceive(_ handler: @escaping ReceiveHandler) {
        inner.withLock { $0.receiveHandler = handler }
    }

    /// Sets the handler that hears state transitions.
    public func onStateChange(_ handler: @escaping StateHandler) {
        inner.withLock { $0.stateHandler = handler }
    }

    /// The current state.
    public var state: State { inner.withLock { $0.state } }
    /// A snapshot of the counters.
    public var counters: Counters { inner.withLock { $0.counters } }
    /// The open descriptor (nil while closed or disconnected). For inspection (tcgetattr in tests,
    /// TIOCGEXCL); do not read, write or close it.
    public var fileDescriptor: Int32? { inner.withLock { $0.fd } }

    /// Whether the open tty is in exclusive mode (TIOCGEXCL). Throws `.notOpen` while closed.
    public func exclusiveModeIsSet() throws -> Bool {
        guard let fd = fileDescriptor else { throw SerialPortError.notOpen(path: path) }
        let result = cp_serial_get_exclusive(fd)
        guard result >= 0 else { throw SerialPortError.systemCall(path: path, call: "ioctl(TIOCGEXCL)", errno: errno) }
        return result == 1
    }

    /// Opens the device now; throws if it cannot be opened or configured (for `checkpointctl`,
    /// which reports and exits). After a later disconnect, reopen attempts run automatically.
    /// Does nothing if the port is already open.
    public func open() throws {
        if inner.withLock({ $0.fd != nil }) { return }
        let fd = try openDescriptor()
        try attach(fd, reopened: false)
    }

    /// Opens the device if it is there; otherwise reports `.disconnected(reason)` and keeps
    /// trying with the reopen policy (for `checkpointd`: a device absent at start is picked up
    /// when it appears). Never throws for an absent device.
    public func start() {
        do {
            try open()
        } catch {
            logger.warning("cannot open serial port: \(error); retrying")
            let handler = inner.withLock { inner -> StateHandler? in
                inner.stopped = false
                inner.state = .disconnected(reason: "\(error)")
                return inner.stateHandler
            }
            handler?(.disconnected(reason: "\(error)"))
            loop.execute { [self] in scheduleReopen() }
        }
    }

    /// Queues `bytes` for the device. Dropped (and counted in `bytesDropped`) when the port is not
    /// open or the queue would exceed `maxQueuedBytes`.
    public func write(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        let accepted = inner.withLock { inner -> Bool in
            guard inner.fd != nil, inner.outbound.count + bytes.count <= maxQueuedBytes else {
                inner.counters.bytesDropped += UInt64(bytes.count)
                return false
            }
            inner.outbound.append(contentsOf: bytes)
            return true
        }
        if !accepted {
            logger.debug("dropped \(bytes.count) bytes written while not open or beyond the queue limit")
            return
        }
        if loop.inLoopThread { flush() } else { loop.execute { [self] in flush() } }
    }

    /// Whether `device` (e.g. from a `DeviceMonitor` "add" event) is this port's device: its
    /// devnode or one of its links is `path`, or `path` (a symlink) resolves to its devnode. The
    /// daemon calls `reopenNow()` on the ports for which this holds.
    public func refers(to device: DeviceDescription) -> Bool {
        if device.devnode == path || device.links.contains(path) { return true }
        guard let resolved = realpath(path, nil) else { return false }
        defer { free(resolved) }
        return String(cString: resolved) == device.devnode
    }

    /// Tries to reopen at once if the port is disconnected (e.g. on a udev "add" event for it).
    public func reopenNow() {
        loop.execute { [self] in
            let timer = inner.withLock { inner -> EventLoop.TimerHandle? in
                guard !inner.stopped, inner.fd == nil else { return nil }
                defer { inner.reopenTimer = nil }
                return inner.reopenTimer
            }
            if let timer, loop.cancel(timer) { attemptReopen() }
        }
    }

    /// Closes the port and stops reopen attempts; reports `.closed`. Waits for the loop thread to
    /// let go of the descriptor when called from another thread.
    public func close() {
        loop.executeAndWait { [self] in closeOnLoop() }
    }

    // MARK: Internals (loop thread, except `openDescriptor`/`attach` from `open`)

    private func openDescriptor() throws -> Int32 {
        let fd = Glibc.open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw SerialPortError.systemCall(path: path, call: "open", errno: errno) }
        do {
            if exclusive && cp_serial_set_exclusive(fd) != 0 {
                throw SerialPortError.systemCall(path: path, call: "ioctl(TIOCEXCL)", errno: errno)
            }
            try Termios.apply(settings, to: fd, path: path)
            if settings.rs485 && cp_serial_set_rs485(fd, 1, 0, 0) != 0 {
                throw SerialPortError.systemCall(path: path, call: "ioctl(TIOCSRS485)", errno: errno)
            }
            discardBufferedInput(fd)
        } catch {
            releaseDescriptor(fd)
            throw error
        }
        return fd
    }

    /// Fresh input only: whatever the kernel buffered before this open (a scan shown, a reply sent
    /// while nobody read the line) belongs to another moment, maybe another person. It is thrown
    /// away with `tcflush(TCIFLUSH)` after the settings are applied, counted and logged.
    private func discardBufferedInput(_ fd: Int32) {
        var pending: Int32 = 0
        if ioctl(fd, UInt(FIONREAD), &pending) != 0 { pending = 0 }
        if tcflush(fd, TCIFLUSH) != 0 {
            logger.warning("tcflush(TCIFLUSH) failed: \(systemErrorText(errno))")
            return
        }
        guard pending > 0 else { return }
        inner.withLock { $0.counters.staleBytesDiscarded += UInt64(pending) }
        logger.notice("discarded \(pending) bytes buffered before the port was opened")
    }

    private func attach(_ fd: Int32, reopened: Bool) throws {
        let registration: EventLoop.Registration
        do {
            registration = try loop.register(fileDescriptor: fd, interest: .readable) { [weak self] events in
                self?.handle(events)
            }
        } catch {
            releaseDescriptor(fd)
            throw SerialPortError.systemCall(path: path, call: "register with event loop: \(error)", errno: 0)
        }
        let (handler, state) = inner.withLock { inner -> (StateHandler?, State) in
            inner.fd = fd
            inner.registration = registration
            inner.watchingWritable = false
            inner.stopped = false
            inner.nextReopenDelay = reopenPolicy.initialDelay
            inner.state = inner.everOpened || reopened ? .reopened : .open
            if reopened { inner.counters.reopens += 1 }
            inner.everOpened = true
            return (inner.stateHandler, inner.state)
        }
        logger.info("serial port \(state) (\(settings.summary))")
        handler?(state)
    }

    private func handle(_ events: IOEvents) {
        if events.contains(.writable) { flush() }
        guard events.contains(.readable) || events.contains(.hangup) || events.contains(.error) else { return }
        guard let fd = inner.withLock({ $0.fd }) else { return }
        var received: [UInt8] = []
        var lost: String?
        var chunk = [UInt8](repeating: 0, count: 4096)
        reading: while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                received.append(contentsOf: chunk[0..<count])
                if received.count >= 64 * 1024 { break reading }
                continue
            }
            if count == 0 { lost = "end of file: the device is gone"; break reading }
            switch errno {
            case EINTR: continue reading
            case EAGAIN: break reading
            case let code: lost = "read failed: \(systemErrorText(code))"; break reading
            }
        }
        if lost == nil && received.isEmpty && (events.contains(.hangup) || events.contains(.error)) {
            lost = "hangup reported by the kernel (\(events))"
        }
        if !received.isEmpty {
            let handler = inner.withLock { inner -> ReceiveHandler? in
                inner.counters.bytesIn += UInt64(received.count)
                return inner.receiveHandler
            }
            handler?(received)
        }
        if let lost { disconnect(reason: lost) }
    }

    private func flush() {
        guard let fd = inner.withLock({ $0.fd }) else { return }
        while true {
            let pending = inner.withLock { $0.outbound }
            if pending.isEmpty { break }
            let count = pending.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                inner.withLock {
                    $0.outbound.removeFirst(min(count, $0.outbound.count))
                    $0.counters.bytesOut += UInt64(count)
                }
                continue
            }
            let code = errno
            if count < 0 && code == EINTR { continue }
            if count < 0 && code == EAGAIN { setWatchWritable(true); armWriteRetry(); return }
            disconnect(reason: "write failed: \(systemErrorText(code))")
            return
        }
        setWatchWritable(false)
    }

    /// Blocked output waits for EPOLLOUT, and also retries after `writeRetryDelay`: a PTY slave
    /// does not always signal writability after its master drains (seen here under load — 56 kB of a
    /// 60 kB write delivered, then no wake-up for seconds). The timer exists only while output is
    /// blocked, so an idle port still sleeps.
    private func armWriteRetry() {
        let needed = inner.withLock { inner -> Bool in inner.writeRetryTimer == nil }
        guard needed else { return }
        let timer = loop.schedule(after: Self.writeRetryDelay) { [weak self] in
            guard let self else { return }
            inner.withLock { $0.writeRetryTimer = nil }
            flush()
        }
        inner.withLock { $0.writeRetryTimer = timer }
    }

    /// How long blocked output waits for EPOLLOUT before trying again by itself.
    static let writeRetryDelay: Duration = .milliseconds(20)

    private func setWatchWritable(_ wanted: Bool) {
        let registration = inner.withLock { inner -> EventLoop.Registration? in
            guard inner.watchingWritable != wanted, let registration = inner.registration else { return nil }
            inner.watchingWritable = wanted
            return registration
        }
        guard let registration else { return }
        do {
            try loop.modify(registration, interest: wanted ? [.readable, .writable] : .readable)
        } catch {
            logger.error("cannot change write interest: \(error)")
        }
    }

    private func disconnect(reason: String) {
        let (fd, registration, handler) = inner.withLock { inner -> (Int32?, EventLoop.Registration?, StateHandler?) in
            let fd = inner.fd
            let registration = inner.registration
            inner.fd = nil
            inner.registration = nil
            guard fd != nil else { return (nil, nil, nil) }
            inner.counters.disconnects += 1
            inner.counters.bytesDropped += UInt64(inner.outbound.count)
            inner.outbound.removeAll()
            inner.state = .disconnected(reason: reason)
            return (fd, registration, inner.stateHandler)
        }
        guard let fd else { return }
        if let registration { loop.deregister(registration) }
        releaseDescriptor(fd)
        logger.warning("serial port disconnected: \(reason)")
        handler?(.disconnected(reason: reason))
        scheduleReopen()
    }

    private func scheduleReopen() {
        let delay = inner.withLock { inner -> Duration? in
            guard !inner.stopped, inner.fd == nil, inner.reopenTimer == nil else { return nil }
            return inner.nextReopenDelay
        }
        guard let delay else { return }
        let timer = loop.schedule(after: delay) { [weak self] in
            guard let self else { return }
            inner.withLock { $0.reopenTimer = nil }
            attemptReopen()
        }
        inner.withLock { $0.reopenTimer = timer }
    }

    private func attemptReopen() {
        let proceed = inner.withLock { inner -> Bool in
            guard !inner.stopped, inner.fd == nil else { return false }
            inner.counters.reopenAttempts += 1
            return true
        }
        guard proceed else { return }
        do {
            let fd = try openDescriptor()
            try attach(fd, reopened: true)
        } catch {
            logger.debug("reopen failed: \(error)")
            inner.withLock { $0.nextReopenDelay = reopenPolicy.delay(after: $0.nextReopenDelay) }
            scheduleReopen()
        }
    }

    private func closeOnLoop() {
        let (fd, registration, timer, handler, wasClosed) = inner.withLock {
            inner -> (Int32?, EventLoop.Registration?, EventLoop.TimerHandle?, StateHandler?, Bool) in
            let result = (inner.fd, inner.registration, inner.reopenTimer, inner.stateHandler, inner.state == .closed)
            inner.fd = nil
            inner.registration = nil
            inner.reopenTimer = nil
            inner.stopped = true
            inner.outbound.removeAll()
            inner.state = .closed
            return result
        }
        if let timer { loop.cancel(timer) }
        if let registration { loop.deregister(registration) }
        if let fd { releaseDescriptor(fd) }
        if !wasClosed { handler?(.closed) }
    }

    /// Clears exclusive mode (so another holder of the tty does not keep it locked) and closes.
    private func releaseDescriptor(_ fd: Int32) {
        if exclusive { _ = ioctl(fd, UInt(TIOCNXCL)) }
        Glibc.close(fd)
    }
}
