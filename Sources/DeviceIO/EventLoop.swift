import CLinuxShims
import CheckpointCore
import Foundation
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// One epoll loop on its own thread: every device of the gate is a file descriptor registered here.
///
/// Model:
/// - File descriptors are registered for `readable` and/or `writable` (level-triggered); the handler
///   runs on the loop thread with the readiness epoll reported (`hangup` and `error` are always
///   reported).
/// - Timers (`schedule(after:_:)`) live in a min-heap; the loop sleeps in `epoll_wait` exactly until
///   the earliest deadline (CLOCK_MONOTONIC, rounded up to whole milliseconds, never early). Timers
///   with equal deadlines fire in the order they were scheduled. `cancel` of a pending timer
///   guarantees it will not start.
/// - `execute` queues a closure from any thread and wakes the loop through an eventfd; `submit` is
///   the `async` form that returns the closure's value.
/// - Idle means blocked in `epoll_wait` with no timeout or the next timer's: no polling, no sleeps.
///
/// Concurrency: safe to share because the shared tables (registrations, timers, queued
/// closures) are guarded by one `Mutex` and the epoll/eventfd descriptors are immutable after
/// `init`; every handler runs on the loop thread, outside the lock, so handlers may call back into
/// the loop (register, schedule, execute). Handlers must not block.
///
/// Lifetime: the thread runs until `stop()`; closures queued before `stop()` still run, closures
/// queued after it do not (`execute` returns false, `submit` throws `EventLoopError.stopped`).
public final class EventLoop: Sendable {
    /// Called on the loop thread with the readiness of a registered descriptor.
    public typealias IOHandler = @Sendable (IOEvents) -> Void
    /// A closure run once on the loop thread.
    public typealias Work = @Sendable () -> Void

    /// A registered file descriptor; pass it to `modify` and `deregister`.
    public struct Registration: Sendable, Hashable {
        public let id: UInt64
        public let fileDescriptor: Int32
    }

    /// A scheduled timer; pass it to `cancel`.
    public struct TimerHandle: Sendable, Hashable {
        public let id: UInt64
    }

    private struct Tables {
        var nextID: UInt64 = 1
        var registrations: [UInt64: IOHandler] = [:]
        var timers: [UInt64: Work] = [:]
        var heap = TimerHeap()
        var queued: [Work] = []
        var stopRequested = false
        var loopThread: pthread_t?
        var kernelThreadID: Int32 = 0
        var exited = false
    }

    /// The name of the loop's thread (for logs, `top -H` and debuggers; the kernel keeps 15 bytes).
    public let name: String
    private let tables = Mutex(Tables())
    private let epollFD: Int32
    private let wakeFD: Int32
    private let exitedCondition = NSCondition()
    private let logger: Logger
    /// The epoll user data that marks the wake-up eventfd (registration ids start at 1).
    private static let wakeMarker: UInt64 = 0

    /// Creates the epoll instance and the wake-up eventfd and starts the loop thread.
    public init(name: String = "checkpoint-io", logger: Logger = Logger(label: "checkpoint.eventloop")) throws {
        self.name = name
        self.logger = logger
        let epollFD = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epollFD >= 0 else { throw EventLoopError.systemCall("epoll_create1", errno: errno) }
        let wakeFD = eventfd(0, Int32(EFD_NONBLOCK) | Int32(EFD_CLOEXEC))
        guard wakeFD >= 0 else {
            let code = errno
            close(epollFD)
            throw EventLoopError.systemCall("eventfd", errno: code)
        }
        var event = epoll_event()
        event.events = EPOLLIN.rawValue
        event.data.u64 = Self.wakeMarker
        guard epoll_ctl(epollFD, EPOLL_CTL_ADD, wakeFD, &event) == 0 else {
            let code = errno
            close(wakeFD)
            close(epollFD)
            throw EventLoopError.systemCall("epoll_ctl(ADD eventfd)", errno: code)
        }
        self.epollFD = epollFD
        self.wakeFD = wakeFD

        let started = DispatchSemaphore(value: 0)
        let thread = Thread { [self] in
            // The kernel keeps 15 bytes of a thread name (visible in /proc, top -H, gdb).
            _ = cp_set_thread_name(name)
            let threadID = cp_thread_id()
            tables.withLock {
                $0.loopThread = pthread_self()
                $0.kernelThreadID = threadID
            }
            started.signal()
            run()
        }
        thread.name = name
        thread.start()
        started.wait()
    }

    /// True when called on this loop's thread.
    public var inLoopThread: Bool {
        guard let loopThread = tables.withLock({ $0.loopThread }) else { return false }
        return pthread_equal(loopThread, pthread_self()) != 0
    }

    /// The loop thread's kernel thread id (`/proc/self/task/<id>`, `top -H`).
    public var threadID: Int32 { tables.withLock { $0.kernelThreadID } }

    /// True once `stop()` was called.
    public var isStopped: Bool { tables.withLock { $0.stopRequested } }

    // MARK: File descriptors

    /// Registers `fileDescriptor` for `interest` (`readable`, `writable` or both, or empty to hear
    /// only hangups and errors). May be called from any thread. The caller keeps owning the
    /// descriptor: `deregister` before closing it.
    public func register(fileDescriptor: Int32, interest: IOEvents,
                         handler: @escaping IOHandler) throws -> Registration {
        let id: UInt64 = try tables.withLock {
            guard !$0.stopRequested else { throw EventLoopError.stopped }
            let id = $0.nextID
            $0.nextID += 1
            $0.registrations[id] = handler
            return id
        }
        var event = epoll_event()
        event.events = Self.epollMask(interest)
        event.data.u64 = id
        guard epoll_ctl(epollFD, EPOLL_CTL_ADD, fileDescriptor, &event) == 0 else {
            let code = errno
            tables.withLock { _ = $0.registrations.removeValue(forKey: id) }
            throw EventLoopError.systemCall("epoll_ctl(ADD fd \(fileDescriptor))", errno: code)
        }
        return Registration(id: id, fileDescriptor: fileDescriptor)
    }

    /// Changes what a registration listens for (e.g. add `writable` while a write queue is not empty).
    public func modify(_ registration: Registration, interest: IOEvents) throws {
        var event = epoll_event()
        event.events = Self.epollMask(interest)
        event.data.u64 = registration.id
        guard epoll_ctl(epollFD, EPOLL_CTL_MOD, registration.fileDescriptor, &event) == 0 else {
            throw EventLoopError.systemCall("epoll_ctl(MOD fd \(registration.fileDescriptor))", errno: errno)
        }
    }

    /// Removes a registration. Called on the loop thread, its handler is not called again; from
    /// another thread, a call already in progress may still finish. Errors (descriptor already
    /// closed) are ignored.
    public func deregister(_ registration: Registration) {
        tables.withLock { _ = $0.registrations.removeValue(forKey: registration.id) }
        var event = epoll_event()
        _ = epoll_ctl(epollFD, EPOLL_CTL_DEL, registration.fileDescriptor, &event)
    }

    // MARK: Timers

    /// Runs `work` once on the loop thread after `delay` (not earlier). May be called from any thread.
    @discardableResult
    public func schedule(after delay: Duration, _ work: @escaping Work) -> TimerHandle {
        let delayNanos = Self.nanoseconds(of: delay)
        let deadline = Self.monotonicNanoseconds() + delayNanos
        let (id, becameFirst) = tables.withLock { t -> (UInt64, Bool) in
            let id = t.nextID
            t.nextID += 1
            t.timers[id] = work
            t.heap.insert(.init(deadline: deadline, sequence: id))
            return (id, t.heap.first?.sequence == id)
        }
        if becameFirst && !inLoopThread { wake() }
        return TimerHandle(id: id)
    }

    /// Cancels a pending timer. Returns true if it had not started yet (it never will now), false
    /// if it already ran, is running, or was cancelled before.
    @discardableResult
    public func cancel(_ timer: TimerHandle) -> Bool {
        tables.withLock { $0.timers.removeValue(forKey: timer.id) != nil }
    }

    // MARK: Work from other threads

    /// Queues `work` to run on the loop thread, in FIFO order with other queued work. Returns false
    /// (and drops `work`) if the loop was stopped.
    @discardableResult
    public func execute(_ work: @escaping Work) -> Bool {
        let accepted = tables.withLock { t -> Bool in
            guard !t.stopRequested else { return false }
            t.queued.append(work)
            return true
        }
        if accepted { wake() }
        return accepted
    }

    /// Runs `work` on the loop thread and blocks the caller until it has run. Runs it inline when
    /// called on the loop thread or after `stop()`. For short teardown work (closing a port) from
    /// synchronous code; async code should use `submit`.
    public func executeAndWait(_ work: @escaping Work) {
        if inLoopThread || isStopped {
            work()
            return
        }
        let done = DispatchSemaphore(value: 0)
        if execute({ work(); done.signal() }) {
            done.wait()
        } else {
            work()
        }
    }

    /// Runs `body` on the loop thread and returns its result to the awaiting task.
    public func submit<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, Error>) in
            let accepted = execute { continuation.resume(with: Result { try body() }) }
            if !accepted { continuation.resume(throwing: EventLoopError.stopped) }
        }
    }

    /// Stops the loop: work already queued runs, then the thread exits and the epoll and eventfd
    /// descriptors are closed. From another thread this waits for the exit; on the loop thread it
    /// returns at once and the loop exits after the current handler. Idempotent.
    public func stop() {
        let first = tables.withLock { t -> Bool in
            defer { t.stopRequested = true }
            return !t.stopRequested
        }
        if first { wake() }
        if inLoopThread { return }
        exitedCondition.lock()
        while !tables.withLock({ $0.exited }) { exitedCondition.wait() }
        exitedCondition.unlock()
    }

    // MARK: The loop

    private func wake() {
        var one: UInt64 = 1
        _ = withUnsafeBytes(of: &one) { write(wakeFD, $0.baseAddress, 8) }
    }

    private func run() {
        let capacity = 64
        let events = UnsafeMutablePointer<epoll_event>.allocate(capacity: capacity)
        defer { events.deallocate() }
        while true {
            guard let timeout = nextTimeout() else { break }
            let count = epoll_wait(epollFD, events, Int32(capacity), timeout)
            if count < 0 {
                let code = errno
                if code == EINTR { continue }
                logger.critical("epoll_wait failed: \(systemErrorText(code)); event loop \(name) exits")
                tables.withLock { $0.stopRequested = true }
                break
            }
            for index in 0..<Int(count) {
                let id = events[index].data.u64
                if id == Self.wakeMarker {
                    var counter: UInt64 = 0
                    _ = withUnsafeMutableBytes(of: &counter) { read(wakeFD, $0.baseAddress, 8) }
                    continue
                }
                guard let handler = tables.withLock({ $0.registrations[id] }) else { continue }
                handler(Self.ioEvents(events[index].events))
            }
            runDueTimers()
            runQueuedWork()
        }
        runQueuedWork()
        close(wakeFD)
        close(epollFD)
        exitedCondition.lock()
        tables.withLock { $0.exited = true }
        exitedCondition.broadcast()
        exitedCondition.unlock()
    }

    /// The epoll_wait timeout in ms (-1 = no timer), or nil when the loop must exit.
    private func nextTimeout() -> Int32? {
        tables.withLock { t -> Int32? in
            if t.stopRequested { return nil }
            if !t.queued.isEmpty { return 0 }
            // Cancelled timers leave their heap entries behind; drop them so they cause no wake-up.
            while let first = t.heap.first, t.timers[first.sequence] == nil { _ = t.heap.popFirst() }
            guard let first = t.heap.first else { return -1 }
            let now = Self.monotonicNanoseconds()
            if first.deadline <= now { return 0 }
            let millis = (first.deadline - now + 999_999) / 1_000_000
            return Int32(clamping: millis)
        }
    }

    private func runDueTimers() {
        let now = Self.monotonicNanoseconds()
        while true {
            let next = tables.withLock { t -> Work?? in
                guard let first = t.heap.first, first.deadline <= now else { return .none }
                _ = t.heap.popFirst()
                return .some(t.timers.removeValue(forKey: first.sequence))
            }
            guard let due = next else { return }
            due?()
        }
    }

    private func runQueuedWork() {
        let work = tables.withLock { t -> [Work] in
            defer { t.queued.removeAll() }
            return t.queued
        }
        for item in work { item() }
    }

    // MARK: Conversions

    static func monotonicNanoseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }

    /// Nanoseconds of a non-negative duration (negative = 0), saturating at about 146 years so a
    /// huge delay can never wrap around into an early deadline.
    static func nanoseconds(of duration: Duration) -> UInt64 {
        let (seconds, attoseconds) = duration.components
        if seconds < 0 { return 0 }
        let limit: UInt64 = 1 << 62
        let (whole, overflow) = UInt64(seconds).multipliedReportingOverflow(by: 1_000_000_000)
        if overflow || whole > limit { return limit }
        return whole + UInt64(max(0, attoseconds) / 1_000_000_000)
    }

    private static func epollMask(_ interest: IOEvents) -> UInt32 {
        var mask: UInt32 = 0
        if interest.contains(.readable) { mask |= EPOLLIN.rawValue | EPOLLRDHUP.rawValue }
        if interest.contains(.writable) { mask |= EPOLLOUT.rawValue }
        return mask
    }

    private static func ioEvents(_ mask: UInt32) -> IOEvents {
        var events: IOEvents = []
        if mask & EPOLLIN.rawValue != 0 { events.insert(.readable) }
        if mask & EPOLLOUT.rawValue != 0 { events.insert(.writable) }
        if mask & (EPOLLHUP.rawValue | EPOLLRDHUP.rawValue) != 0 { events.insert(.hangup) }
        if mask & EPOLLERR.rawValue != 0 { events.insert(.error) }
        return events
    }
}
