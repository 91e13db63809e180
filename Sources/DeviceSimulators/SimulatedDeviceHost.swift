import CheckpointCore
import DeviceIO

/// Puts a `DeviceBehavior` behind a pseudo-terminal with a stable symlink (`linkPath`) on an
/// `EventLoop`: reads what the program under test writes to the slave, answers through the fault
/// injector, prints streaming output on a loop timer, and can be unplugged and plugged back.
///
/// Runtime commands (`command(_:)`, see docs/simulator.md): `garbage N`, `truncate N`, `badsum N`,
/// `silence N` (the next N frames), `noise` (garbage bytes now), `disconnect MS` (unplug, back after
/// MS; 0 = stay unplugged), `connect`, `status`, and the behaviour's own (`set <°C>`, …).
///
/// Concurrency: state in one `Mutex`, I/O on the loop thread.
public final class SimulatedDeviceHost: Sendable {
    public let name: String
    /// The stable path the program opens.
    public let linkPath: String
    public let loop: EventLoop
    private let pty: SymlinkedPseudoTerminal
    private let inner: Mutex<Inner>

    private struct Inner {
        var behavior: any DeviceBehavior
        var faults: FaultInjector
        var registration: EventLoop.Registration?
        var streamTimer: EventLoop.TimerHandle?
        var replugTimer: EventLoop.TimerHandle?
        var framesSent = 0
        var bytesReceived = 0
        var unplugs = 0
    }

    /// Creates the PTY and link and starts serving.
    public init(name: String, linkPath: String, behavior: any DeviceBehavior, loop: EventLoop, faultSeed: UInt64 = 0x5EED) throws {
        self.name = name
        self.linkPath = linkPath
        self.loop = loop
        self.pty = try SymlinkedPseudoTerminal(linkPath: linkPath)
        self.inner = Mutex(Inner(behavior: behavior, faults: FaultInjector(seed: faultSeed)))
        try attach()
    }

    deinit { pty.unplug() }

    /// True while the device is plugged in.
    public var isPlugged: Bool { pty.isPlugged }

    /// Faults applied so far, by kind.
    public var faultsApplied: [FaultInjector.Fault: Int] { inner.withLock { $0.faults.applied } }

    /// Arms `fault` for the next `count` frames.
    public func arm(_ fault: FaultInjector.Fault, count: Int) {
        inner.withLock { $0.faults.arm(fault, count: count) }
    }

    /// Changes the behaviour's state (e.g. the temperature) on the loop thread.
    public func update(_ change: @escaping @Sendable (inout any DeviceBehavior) -> Void) {
        inner.withLock { change(&$0.behavior) }
    }

    /// Unplugs the device; it comes back after `duration` (never, if nil, until `plug()`).
    public func unplug(for duration: Duration?) {
        detach()
        pty.unplug()
        inner.withLock { $0.unplugs += 1 }
        if let duration {
            let timer = loop.schedule(after: duration) { [self] in try? plug() }
            inner.withLock { $0.replugTimer = timer }
        }
    }

    /// Plugs the device back in (a new PTY behind the same link).
    public func plug() throws {
        if let t = inner.withLock({ inner -> EventLoop.TimerHandle? in defer { inner.replugTimer = nil }; return inner.replugTimer }) {
            _ = loop.cancel(t)
        }
        guard !pty.isPlugged else { return }
        try pty.replug()
        try attach()
    }

    /// Stops serving and removes the link.
    public func shutdown() {
        detach()
        pty.unplug()
    }

    /// Runs one runtime command (`words` split on spaces); returns the reply line.
    public func command(_ words: [String]) throws(SimulatorCommandError) -> String {
        guard let verb = words.first else { throw SimulatorCommandError("empty command") }
        if let fault = FaultInjector.Fault(rawValue: verb) {
            let count = words.count > 1 ? Int(words[1]) : 1
            guard let count, count >= 0 else { throw SimulatorCommandError("usage: \(verb) [N] (the next N frames)") }
            arm(fault, count: count)
            return "\(verb) armed for the next \(count) frame(s)"
        }
        switch verb {
        case "noise":
            let bytes = inner.withLock { $0.faults.garbageBytes() }
            send(bytes)
            return "sent \(bytes.count) garbage bytes"
        case "disconnect", "unplug":
            let ms = words.count > 1 ? Int(words[1]) : 0
            guard let ms, ms >= 0 else { throw SimulatorCommandError("usage: disconnect [MS] (0 = until connect)") }
            unplug(for: ms > 0 ? .milliseconds(ms) : nil)
            return ms > 0 ? "unplugged for \(ms) ms" : "unplugged until connect"
        case "connect", "plug":
            do { try plug() } catch { throw SimulatorCommandError("cannot plug back: \(error)") }
            return "plugged in at \(linkPath)"
        case "status":
            return status
        default:
            let result = inner.withLock { inner in
                Result { () throws(SimulatorCommandError) -> String in try inner.behavior.command(words) }
            }
            return try result.get()
        }
    }

    /// One line: name, link, plugged state, behaviour state, armed faults, counters.
    public var status: String {
        inner.withLock { inner in
            let armed = inner.faults.pending.map { "\($0.key.rawValue) \($0.value)" }.sorted().joined(separator: ", ")
            return "\(name) \(linkPath) \(pty.isPlugged ? "plugged" : "unplugged"): \(inner.behavior.status)"
                + (armed.isEmpty ? "" : "; armed: \(armed)")
                + "; frames sent \(inner.framesSent), bytes received \(inner.bytesReceived), unplugs \(inner.unplugs)"
        }
    }

    private func attach() throws {
        guard let terminal = pty.terminal else { return }
        let fd = terminal.masterFileDescriptor
        let registration = try loop.register(fileDescriptor: fd, interest: .readable) { [self] events in
            let bytes = (try? terminal.read()) ?? []
            if bytes.isEmpty {
                if events.contains(.hangup) || events.contains(.error) { detach() }
                return
            }
            let replies = inner.withLock { inner -> [[UInt8]] in
                inner.bytesReceived += bytes.count
                return inner.behavior.received(bytes)
            }
            for reply in replies { sendFrame(reply) }
            scheduleStream()
        }
        inner.withLock { $0.registration = registration }
        scheduleStream()
    }

    private func detach() {
        let (registration, timer) = inner.withLock { inner in
            defer { inner.registration = nil; inner.streamTimer = nil }
            return (inner.registration, inner.streamTimer)
        }
        if let registration { loop.deregister(registration) }
        if let timer { _ = loop.cancel(timer) }
    }

    /// Keeps one timer running while the behaviour streams.
    private func scheduleStream() {
        let period = inner.withLock { inner -> Int? in
            guard inner.streamTimer == nil, inner.registration != nil else { return nil }
            return inner.behavior.streamPeriodMs
        }
        guard let period else { return }
        let timer = loop.schedule(after: .milliseconds(period)) { [self] in
            let frame = inner.withLock { inner -> [UInt8]? in
                inner.streamTimer = nil
                return inner.behavior.tick()
            }
            if let frame { sendFrame(frame) }
            scheduleStream()
        }
        inner.withLock { $0.streamTimer = timer }
    }

    private func sendFrame(_ frame: [UInt8]) {
        let bytes = inner.withLock { inner -> [UInt8] in
            inner.framesSent += 1
            return inner.faults.apply(frame)
        }
        send(bytes)
    }

    private func send(_ bytes: [UInt8]) {
        guard !bytes.isEmpty, let terminal = pty.terminal else { return }
        _ = try? terminal.write(bytes)
    }
}
