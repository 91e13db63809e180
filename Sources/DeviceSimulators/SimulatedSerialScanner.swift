import CheckpointCore
import Scanners

/// The device side of a serial / USB-CDC scanner, sans I/O: answers its configuration command set
/// (GM65 zone bits, Honeywell menu commands or Zebra SSI) like the device, and frames scans as
/// `[prefix][AIM id or Code ID][data][suffix]` in its encoding, following that configuration
/// (identifiers on/off, suffix). A GM65 has no AIM identifiers: "identifiers on" is its Code ID. As a `DeviceBehavior` (for `checkpoint-sim`) it sends queued scans on its
/// stream tick; runtime commands: `scan TEXT…`, `scan-as SYMBOLOGY TEXT…`, `partial TEXT…`
/// (the first half of a frame, as when the cable is pulled mid-scan), `powercycle`.
public struct SimulatedSerialScanner: DeviceBehavior {
    public enum Responder: Sendable {
        case none
        case gm65(GM65Device)
        case honeywell(HoneywellMenuDevice)
        case zebraSSI(ZebraSSIDevice)
    }

    public private(set) var responder: Responder
    public let encoding: ScanTextEncoding
    /// Framing when no command set says otherwise (the prefix always comes from here).
    public let baseFraming: ScanFraming
    private var queue: [[UInt8]] = []
    private var scansSent = 0

    public init(framing: ScanFraming = ScanFraming(), encoding: ScanTextEncoding = .utf8, commandSet: ScannerCommandSet? = nil) {
        self.encoding = encoding
        self.baseFraming = framing
        switch commandSet {
        case nil: responder = .none
        case .gm65?:
            let codeID = framing.aimIdentifiers || !framing.codeIDs.isEmpty
            let zone = GM65Device.outputZoneValue(endMark: framing.suffix, codeID: codeID) ?? GM65Device.outputZoneValue(endMark: [0x0D], codeID: codeID)
            responder = .gm65(GM65Device(zones: [GM65Device.outputZone: zone ?? 0x01]))
        case .honeywell?:
            var d = HoneywellMenuDevice()
            let suffix = framing.suffix.isEmpty ? "SUFCA2" : "SUFBK299" + HexBytes.format(framing.suffix).replacingOccurrences(of: " ", with: "")
            _ = d.receive(HoneywellMenuCommandSet.request([framing.aimIdentifiers ? "PREBK2995C80" : "PRECA2", suffix], permanent: true))
            responder = .honeywell(d)
        case .zebraSSI?:
            var params: [UInt8: UInt8] = [0x2D: framing.aimIdentifiers ? 1 : 0, 0xEB: 0, 0x68: 0x0D, 0x6A: 0x0A, 0x62: 1, 0x64: 1]
            if framing.suffix.count >= 1 { params[0xEB] = 1; params[0x68] = framing.suffix[0] }
            if framing.suffix.count >= 2 { params[0xEB] = 3; params[0x6A] = framing.suffix[1] }
            responder = .zebraSSI(ZebraSSIDevice(parameters: params))
        }
    }

    /// The framing scans are sent with now, as the device's configuration says.
    public var framing: ScanFraming {
        var f = baseFraming
        switch responder {
        case .none: break
        case .gm65(let d):
            f.aimIdentifiers = false
            f.codeIDs = d.sendsCodeID ? GM65Device.codeIDTable : [:]
            f.suffix = d.endMark
        case .honeywell(let d):
            f.aimIdentifiers = d.sendsAIM
            f.suffix = d.suffixBytes
        case .zebraSSI(let d):
            f.aimIdentifiers = d.sendsAIM
            f.suffix = d.suffix
        }
        return f
    }

    /// The bytes of one scan, or nil if the text cannot be encoded.
    public func frame(_ code: SimulatedCode) -> [UInt8]? {
        var codeID: UInt8? = nil
        if case .gm65(let d) = responder, d.sendsCodeID { codeID = GM65Device.codeID(for: code.symbology) }
        return SerialScanEncoder.frame(code, framing: framing, encoding: encoding, codeID: codeID)
    }

    /// Configuration bytes from the host; returns the device's reply.
    public mutating func configure(_ bytes: [UInt8]) -> [UInt8] {
        switch responder {
        case .none: return []
        case .gm65(var d): let r = d.receive(bytes); responder = .gm65(d); return r
        case .honeywell(var d): let r = d.receive(bytes); responder = .honeywell(d); return r
        case .zebraSSI(var d): let r = d.receive(bytes); responder = .zebraSSI(d); return r
        }
    }

    /// Settings reload from flash.
    public mutating func powerCycle() {
        switch responder {
        case .none: break
        case .gm65(var d): d.powerCycle(); responder = .gm65(d)
        case .honeywell(var d): d.powerCycle(); responder = .honeywell(d)
        case .zebraSSI(var d): d.powerCycle(); responder = .zebraSSI(d)
        }
    }

    // MARK: DeviceBehavior

    public mutating func received(_ bytes: [UInt8]) -> [[UInt8]] {
        let reply = configure(bytes)
        return reply.isEmpty ? [] : [reply]
    }

    /// Queued scans go out one per tick.
    public var streamPeriodMs: Int? { 50 }

    public mutating func tick() -> [UInt8]? {
        guard !queue.isEmpty else { return nil }
        scansSent += 1
        return queue.removeFirst()
    }

    public mutating func command(_ words: [String]) throws(SimulatorCommandError) -> String {
        guard let verb = words.first else { throw SimulatorCommandError("empty command") }
        switch verb {
        case "scan", "scan-as", "partial":
            var symbology = Symbology.qr
            var rest = Array(words.dropFirst())
            if verb == "scan-as" {
                guard let name = rest.first, let s = Symbology(rawValue: name) else {
                    throw SimulatorCommandError("usage: scan-as SYMBOLOGY TEXT (symbologies: \(Symbology.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                symbology = s
                rest.removeFirst()
            }
            let text = rest.joined(separator: " ")
            guard !text.isEmpty else { throw SimulatorCommandError("usage: \(verb) TEXT") }
            guard var bytes = frame(SimulatedCode(text, symbology: symbology)) else {
                throw SimulatorCommandError("\"\(text)\" cannot be encoded in \(encoding.rawValue)")
            }
            if verb == "partial" { bytes = Array(bytes.prefix(max(1, bytes.count / 2))) }
            queue.append(bytes)
            return "queued \(bytes.count) bytes: \(HexBytes.format(bytes.prefix(48)))\(bytes.count > 48 ? " …" : "")"
        case "powercycle":
            powerCycle()
            return "power cycled: \(status)"
        default:
            throw SimulatorCommandError("unknown command \"\(verb)\" (scanner: scan TEXT | scan-as SYMBOLOGY TEXT | partial TEXT | powercycle)")
        }
    }

    public var status: String {
        let f = framing
        let identifier: String
        if case .gm65(let d) = responder { identifier = "Code ID \(d.sendsCodeID ? "on" : "off")" } else {
            identifier = "AIM \(f.aimIdentifiers ? "on" : "off")"
        }
        return "scanner \(encoding.rawValue), \(identifier), suffix \(f.suffix.isEmpty ? "none" : HexBytes.format(f.suffix)), scans sent \(scansSent), queued \(queue.count)"
    }
}
