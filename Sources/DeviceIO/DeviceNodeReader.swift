import CLinuxShims
import CheckpointCore
import Dispatch
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// Reads an input-only character device (`/dev/input/eventN`, `/dev/hidrawN`) in the event loop
/// and hands what each read returns to a handler on the loop thread. Opening does what the kind
/// needs first: an evdev device is grabbed exclusively (EVIOCGRAB), so scans never reach a console
/// or another program; a hidraw device may be sent a feature report (e.g. to enter POS mode).
///
/// A read error of "device gone" (ENODEV, EIO), end of file or an epoll hangup closes the
/// descriptor and reports `.disconnected`; the device node of a replugged USB device usually has
/// a new name, so reopening is discovery's business (a udev "add" event), through `open()` again.
///
/// Concurrency: state guarded by a `Mutex`, I/O on the loop thread.
public final class DeviceNodeReader: Sendable {
    public enum Kind: String, Sendable, Hashable {
        /// `struct input_event` records; reads return whole events.
        case evdev
        /// HID input reports; each read returns one report.
        case hidraw
    }

    public enum State: Sendable, Equatable, CustomStringConvertible {
        case closed
        case open
        case disconnected(reason: String)

        public var description: String {
            switch self {
            case .closed: return "closed"
            case .open: return "open"
            case .disconnected(let r): return "disconnected (\(r))"
            }
        }
    }

    public typealias ReceiveHandler = @Sendable ([UInt8]) -> Void
    public typealias StateHandler = @Sendable (State) -> Void

    public let path: String
    public let kind: Kind
    public let loop: EventLoop
    /// A feature report (report id first) sent after opening a hidraw device; nil for none.
    public let featureReport: [UInt8]?
    private let logger: Logger

    private struct Inner {
        var fd: Int32?
        var registration: EventLoop.Registration?
        var state: State = .closed
        var receive: ReceiveHandler?
        var stateHandler: StateHandler?
        var reads: UInt64 = 0
    }

    private let inner = Mutex(Inner())

    /// Bytes asked for per `read()`: hidraw hands over one input report per read, so a hidraw
    /// reader asks for exactly one report's length (a stand-in that is a stream — a FIFO, a
    /// recorded capture — then also yields one report per delivery); evdev asks for a batch of
    /// whole 24-byte events.
    public let readSize: Int

    /// `reportLength` (hidraw only): the device's input report length in bytes, report id included.
    public init(path: String, kind: Kind, loop: EventLoop, featureReport: [UInt8]? = nil, reportLength: Int? = nil,
                logger: Logger = Logger(label: "checkpoint.devicenode")) {
        self.path = path
        self.kind = kind
        self.loop = loop
        self.featureReport = featureReport
        self.readSize = kind == .evdev ? 64 * 24 : max(1, min(reportLength ?? 4096, 4096))
        self.logger = logger
    }

    deinit { closeDescriptor(report: nil) }

    public func onReceive(_ handler: @escaping ReceiveHandler) { inner.withLock { $0.receive = handler } }
    public func onStateChange(_ handler: @escaping StateHandler) { inner.withLock { $0.stateHandler = handler } }

    public var state: State { inner.withLock { $0.state } }
    /// Reads that returned data.
    public var readCount: UInt64 { inner.withLock { $0.reads } }

    /// Opens (non-blocking, close-on-exec), grabs (evdev) or sends the feature report (hidraw),
    /// and registers with the loop. Throws with the path, the call and the errno text.
    public func open() throws {
        guard inner.withLock({ $0.fd }) == nil else { return }
        let fd = Glibc.open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
        guard fd >= 0 else { throw DeviceNodeError(path: path, call: "open", errno: errno) }
        switch kind {
        case .evdev:
            guard cp_evdev_grab(fd, 1) == 0 else {
                let code = errno
                Glibc.close(fd)
                throw DeviceNodeError(path: path, call: "ioctl(EVIOCGRAB)", errno: code)
            }
        case .hidraw:
            if let report = featureReport, !report.isEmpty {
                let rc = report.withUnsafeBufferPointer { cp_hidraw_set_feature(fd, $0.baseAddress, $0.count) }
                guard rc >= 0 else {
                    let code = errno
                    Glibc.close(fd)
                    throw DeviceNodeError(path: path, call: "ioctl(HIDIOCSFEATURE)", errno: code)
                }
            }
        }
        let registration: EventLoop.Registration
        do {
            registration = try loop.register(fileDescriptor: fd, interest: .readable) { [weak self] events in
                self?.handle(events)
            }
        } catch {
            if kind == .evdev { _ = cp_evdev_grab(fd, 0) }
            Glibc.close(fd)
            throw error
        }
        let handler = inner.withLock { s -> StateHandler? in
            s.fd = fd
            s.registration = registration
            s.state = .open
            return s.stateHandler
        }
        handler?(.open)
    }

    /// Releases the grab, deregisters and closes; reports `.closed`.
    public func close() {
        if loop.inLoopThread || loop.isStopped {
            closeDescriptor(report: .closed)
            return
        }
        let done = DispatchSemaphore(value: 0)
        if loop.execute({ [self] in closeDescriptor(report: .closed); done.signal() }) { done.wait() } else { closeDescriptor(report: .closed) }
    }

    private func handle(_ events: IOEvents) {
        guard let fd = inner.withLock({ $0.fd }) else { return }
        var buffer = [UInt8](repeating: 0, count: readSize)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n > 0 {
                let handler = inner.withLock { s -> ReceiveHandler? in s.reads += 1; return s.receive }
                handler?(Array(buffer[0..<n]))
                continue
            }
            if n == 0 { closeDescriptor(report: .disconnected(reason: "end of file")); return }
            let code = errno
            if code == EINTR { continue }
            if code == EAGAIN { break }
            closeDescriptor(report: .disconnected(reason: "read failed: \(systemErrorText(code))"))
            return
        }
        if events.contains(.hangup) || events.contains(.error) {
            closeDescriptor(report: .disconnected(reason: "hang-up"))
        }
    }

    private func closeDescriptor(report: State?) {
        let (fd, registration, handler) = inner.withLock { s -> (Int32?, EventLoop.Registration?, StateHandler?) in
            defer {
                s.fd = nil
                s.registration = nil
                if let report { s.state = report }
            }
            return (s.fd, s.registration, s.stateHandler)
        }
        if let registration { loop.deregister(registration) }
        if let fd {
            if kind == .evdev { _ = cp_evdev_grab(fd, 0) }
            Glibc.close(fd)
        }
        if fd != nil, let report { handler?(report) }
    }
}

/// A device node could not be opened or set up: the path, the call and the errno text.
public struct DeviceNodeError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var call: String
    public var errno: Int32

    public var description: String { "\(path): \(call) failed: \(systemErrorText(errno))" }
}
