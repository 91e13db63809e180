import CheckpointCore
import DeviceIO
import Foundation
import Scanners

/// A simulated serial / USB-CDC scanner (`SimulatedSerialScanner`) on a pseudo-terminal behind a stable symlink: it sends
/// scans as `[prefix][AIM id][data][suffix]` in its encoding, answers its configuration command
/// set like the device (GM65 zone bits, Honeywell menu commands or Zebra SSI), and its scans follow
/// that configuration (AIM identifiers on/off, suffix). `unplug()` / `replug()` act like pulling the
/// USB cable. Runs in an `EventLoop` (the PTY master is one more descriptor).
///
/// Concurrency: state guarded by a `Mutex`.
public final class ScannerSimulator: Sendable {
    private struct State {
        var device: SimulatedSerialScanner
        var registration: EventLoop.Registration?
        var received: UInt64 = 0
    }

    public let loop: EventLoop
    public let encoding: ScanTextEncoding
    /// Framing used when the command set does not say otherwise (prefix always comes from here).
    public let baseFraming: ScanFraming
    private let pty: SymlinkedPseudoTerminal
    private let state: Mutex<State>

    /// The stable path a program opens.
    public var linkPath: String { pty.linkPath }
    public var isPlugged: Bool { pty.isPlugged }

    public init(linkPath: String, loop: EventLoop, framing: ScanFraming = ScanFraming(), encoding: ScanTextEncoding = .utf8,
                commandSet: ScannerCommandSet? = nil) throws {
        self.loop = loop
        self.encoding = encoding
        self.baseFraming = framing
        self.state = Mutex(State(device: SimulatedSerialScanner(framing: framing, encoding: encoding, commandSet: commandSet)))
        self.pty = try SymlinkedPseudoTerminal(linkPath: linkPath)
        try attach()
    }

    deinit {
        detach()
        pty.unplug()
    }

    /// The configuration side's current state.
    public var responder: SimulatedSerialScanner.Responder { state.withLock { $0.device.responder } }
    /// Bytes received from the host.
    public var bytesReceived: UInt64 { state.withLock { $0.received } }

    /// The framing scans are sent with now, as the device's configuration says.
    public var framing: ScanFraming { state.withLock { $0.device.framing } }

    /// Sends one scan; throws if the text cannot be encoded or the device is unplugged.
    public func emit(_ code: SimulatedCode) throws {
        guard let bytes = state.withLock({ $0.device.frame(code) }) else {
            throw ScannerSimulatorError.cannotEncode(code.text, encoding.rawValue)
        }
        try emitRaw(bytes)
    }

    /// Sends raw bytes (partial scans, garbage).
    public func emitRaw(_ bytes: [UInt8]) throws {
        guard let t = pty.terminal else { throw ScannerSimulatorError.unplugged(linkPath) }
        var offset = 0
        while offset < bytes.count {
            let n = try t.write(Array(bytes[offset...]))
            if n == 0 { throw ScannerSimulatorError.unplugged(linkPath) }
            offset += n
        }
    }

    /// Pulls the cable: the host's port sees a hang-up and the link disappears.
    public func unplug() {
        detach()
        pty.unplug()
    }

    /// Plugs it back in (a new PTY behind the same link).
    public func replug() throws {
        detach()
        try pty.replug()
        try attach()
    }

    /// Power cycle: settings reload from flash.
    public func powerCycle() { state.withLock { $0.device.powerCycle() } }

    private func attach() throws {
        guard let t = pty.terminal else { return }
        let registration = try loop.register(fileDescriptor: t.masterFileDescriptor, interest: .readable) { [weak self] _ in
            self?.readHost(t)
        }
        state.withLock { $0.registration = registration }
    }

    private func detach() {
        if let r = state.withLock({ s -> EventLoop.Registration? in defer { s.registration = nil }; return s.registration }) {
            loop.deregister(r)
        }
    }

    private func readHost(_ terminal: PseudoTerminal) {
        guard let bytes = try? terminal.read(), !bytes.isEmpty else { return }
        let reply = state.withLock { s -> [UInt8] in
            s.received += UInt64(bytes.count)
            return s.device.configure(bytes)
        }
        if !reply.isEmpty { _ = try? terminal.write(reply) }
    }
}

public enum ScannerSimulatorError: Error, Sendable, CustomStringConvertible {
    case cannotEncode(String, String)
    case unplugged(String)

    public var description: String {
        switch self {
        case .cannotEncode(let text, let enc): return "\"\(text)\" cannot be encoded in \(enc)"
        case .unplugged(let path): return "\(path): the simulated scanner is unplugged"
        }
    }
}
