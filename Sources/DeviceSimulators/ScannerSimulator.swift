import CheckpointCore
import DeviceIO
import Foundation
import Scanners

/// A simulated serial / USB-CDC scanner on a pseudo-terminal behind a stable symlink: it sends
/// scans as `[prefix][AIM id][data][suffix]` in its encoding, answers its configuration command
/// set like the device (GM65 zone bits, Honeywell menu commands or Zebra SSI), and its scans follow
/// that configuration (AIM identifiers on/off, suffix). `unplug()` / `replug()` act like pulling the
/// USB cable. Runs in an `EventLoop` (the PTY master is one more descriptor).
///
/// Concurrency: `@unchecked Sendable`; state guarded by a `Mutex`.
public final class ScannerSimulator: @unchecked Sendable {
    public enum Responder: Sendable {
        case none
        case gm65(GM65Device)
        case honeywell(HoneywellMenuDevice)
        case zebraSSI(ZebraSSIDevice)
    }

    private struct State {
        var responder: Responder
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
        let responder: Responder
        switch commandSet {
        case nil: responder = .none
        case .gm65?:
            let g = GM65CommandSet()
            let endMark = g.endMarks[framing.suffix] ?? 0
            responder = .gm65(GM65Device(zones: [g.aimZone: framing.aimIdentifiers ? g.aimMask : 0, g.endMarkZone: endMark]))
        case .honeywell?:
            var d = HoneywellMenuDevice()
            _ = d.receive(HoneywellMenuCommandSet.request(
                (framing.aimIdentifiers ? ["PREBK2995C80"] : ["PRECA2"])
                    + [framing.suffix.isEmpty ? "SUFCA2" : "SUFBK299" + HexBytes.format(framing.suffix).replacingOccurrences(of: " ", with: "")],
                permanent: true))
            responder = .honeywell(d)
        case .zebraSSI?:
            var params: [UInt8: UInt8] = [0x2D: framing.aimIdentifiers ? 1 : 0, 0xEB: 0, 0x68: 0x0D, 0x6A: 0x0A]
            if framing.suffix.count >= 1 { params[0xEB] = 1; params[0x68] = framing.suffix[0] }
            if framing.suffix.count >= 2 { params[0xEB] = 3; params[0x6A] = framing.suffix[1] }
            responder = .zebraSSI(ZebraSSIDevice(parameters: params))
        }
        self.state = Mutex(State(responder: responder))
        self.pty = try SymlinkedPseudoTerminal(linkPath: linkPath)
        try attach()
    }

    deinit {
        detach()
        pty.unplug()
    }

    /// The configuration side's current state.
    public var responder: Responder { state.withLock { $0.responder } }
    /// Bytes received from the host.
    public var bytesReceived: UInt64 { state.withLock { $0.received } }

    /// The framing scans are sent with now, as the device's configuration says.
    public var framing: ScanFraming {
        var f = baseFraming
        switch responder {
        case .none: break
        case .gm65(let d):
            let g = GM65CommandSet()
            f.aimIdentifiers = (d.zones[g.aimZone] ?? 0) & g.aimMask != 0
            let mark = (d.zones[g.endMarkZone] ?? 0) & g.endMarkMask
            f.suffix = g.endMarks.first { $0.value == mark }?.key ?? [0x0D]
        case .honeywell(let d):
            f.aimIdentifiers = d.sendsAIM
            f.suffix = d.suffixBytes
        case .zebraSSI(let d):
            f.aimIdentifiers = d.parameters[0x2D] == 1
            switch d.parameters[0xEB] ?? 0 {
            case 1: f.suffix = [d.parameters[0x68] ?? 0x0D]
            case 3: f.suffix = [d.parameters[0x68] ?? 0x0D, d.parameters[0x6A] ?? 0x0A]
            default: f.suffix = []
            }
        }
        return f
    }

    /// Sends one scan; throws if the text cannot be encoded or the device is unplugged.
    public func emit(_ code: SimulatedCode) throws {
        guard let bytes = SerialScanEncoder.frame(code, framing: framing, encoding: encoding) else {
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
    public func powerCycle() {
        state.withLock { s in
            switch s.responder {
            case .none: break
            case .gm65(var d): d.powerCycle(); s.responder = .gm65(d)
            case .honeywell(var d): d.powerCycle(); s.responder = .honeywell(d)
            case .zebraSSI(var d): d.powerCycle(); s.responder = .zebraSSI(d)
            }
        }
    }

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
            switch s.responder {
            case .none: return []
            case .gm65(var d): let r = d.receive(bytes); s.responder = .gm65(d); return r
            case .honeywell(var d): let r = d.receive(bytes); s.responder = .honeywell(d); return r
            case .zebraSSI(var d): let r = d.receive(bytes); s.responder = .zebraSSI(d); return r
            }
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
