import CheckpointCore
import Scanners

/// The configuration side of a simulated GM65 / GM805 module: zone bytes in RAM and in flash,
/// answering `7E 00 …` commands exactly like the module (replies `02 00 00 len data CRC`).
/// A frame with a bad CRC gets no reply (as the module ignores it); so does garbage.
///
/// What the zone bits mean is modelled after the Grow GM65-S User Manual V1.3, §9, independently of
/// the catalog values the driver writes (so a wrong catalog value shows up as wrong output): zone
/// 0x0060 bit 0 allow tail (off: no end mark at all), bit 2 Code ID, bits 6–5 end mark (00 CR,
/// 01 CR LF, 10 TAB). The GM65 has no AIM identifier.
public struct GM65Device: Sendable {
    /// The zone holding the end mark and the Code ID switch.
    public static let outputZone: UInt16 = 0x0060

    /// Grow's one-character Code ID for a symbology (manual §9, code ID table; changeable at
    /// 0x0091–0x00A4, not modelled): QR `Q`, DataMatrix `u`, PDF417 `r`, Code 128 `j`, EAN-13 and
    /// EAN-8 `d`, UPC `c`, Code 39 `b`, Code 93 `i`, Codabar `a`, ITF `e`; nil for others.
    public static func codeID(for symbology: Symbology) -> UInt8? {
        let c: Character
        switch symbology {
        case .qr, .microQR: c = "Q"
        case .dataMatrix: c = "u"
        case .pdf417: c = "r"
        case .code128, .gs1_128: c = "j"
        case .ean13, .ean8: c = "d"
        case .upcA, .upcE: c = "c"
        case .code39: c = "b"
        case .code93: c = "i"
        case .codabar: c = "a"
        case .interleaved2of5: c = "e"
        case .aztec, .unknown: return nil
        }
        return c.asciiValue
    }

    /// The Code ID table as a decoder reads it (EAN-13 for `d`, UPC-A for `c`).
    public static let codeIDTable: [UInt8: Symbology] = Dictionary(
        [Symbology.qr, .dataMatrix, .pdf417, .code128, .ean13, .upcA, .code39, .code93, .codabar, .interleaved2of5]
            .compactMap { s in codeID(for: s).map { ($0, s) } },
        uniquingKeysWith: { first, _ in first })

    /// Zone 0x0060 for an end mark (CR, CR LF, TAB or none) and the Code ID switch; nil for an end
    /// mark the module cannot send.
    public static func outputZoneValue(endMark: [UInt8], codeID: Bool) -> UInt8? {
        let mark: UInt8
        switch endMark {
        case [0x0D]: mark = 0x01
        case [0x0D, 0x0A]: mark = 0x21
        case [0x09]: mark = 0x41
        case []: mark = 0x00
        default: return nil
        }
        return mark | (codeID ? 0x04 : 0)
    }

    /// The end mark the module sends now.
    public var endMark: [UInt8] {
        let z = zones[Self.outputZone] ?? 0
        guard z & 0x01 != 0 else { return [] }
        switch (z >> 5) & 0x03 {
        case 0: return [0x0D]
        case 1: return [0x0D, 0x0A]
        case 2: return [0x09]
        default: return [0x0D]   // 11 is not documented; the module is taken to fall back to CR
        }
    }

    /// Whether scans start with Grow's Code ID.
    public var sendsCodeID: Bool { (zones[Self.outputZone] ?? 0) & 0x04 != 0 }
    /// Zone bytes in effect (RAM).
    public private(set) var zones: [UInt16: UInt8]
    /// Zone bytes that survive a power cycle.
    public private(set) var flash: [UInt16: UInt8]
    /// Frames received with a bad CRC (for tests).
    public private(set) var badFrames = 0
    private var buffer: [UInt8] = []

    public init(zones: [UInt16: UInt8] = [outputZone: 0x01]) {
        self.zones = zones
        self.flash = zones
    }

    /// Restarts the module: RAM reloads from flash.
    public mutating func powerCycle() { zones = flash; buffer = [] }

    /// Feeds bytes from the host; returns the module's replies.
    public mutating func receive(_ bytes: [UInt8]) -> [UInt8] {
        buffer += bytes
        var out: [UInt8] = []
        while let parsed = GM65CommandSet.parseCommand(buffer) {
            switch parsed {
            case .invalid(let skip):
                buffer.removeFirst(min(skip, buffer.count))
            case .command(let type, let address, let data, let crcValid, let consumed):
                buffer.removeFirst(consumed)
                guard crcValid else { badFrames += 1; continue }
                out += handle(type: type, address: address, data: data)
            }
        }
        if buffer.count > 1024 { buffer.removeAll() }
        return out
    }

    private mutating func handle(type: UInt8, address: UInt16, data: [UInt8]) -> [UInt8] {
        switch type {
        case GM65CommandSet.typeRead:
            let count = Int(data.first ?? 1)
            let values = (0..<max(1, count)).map { zones[address &+ UInt16($0)] ?? 0 }
            return GM65CommandSet.reply(data: values)
        case GM65CommandSet.typeWrite:
            for (i, v) in data.enumerated() { zones[address &+ UInt16(i)] = v }
            return GM65CommandSet.reply(data: [0x00])
        case GM65CommandSet.typeSave:
            flash = zones
            return GM65CommandSet.reply(data: [0x00])
        default:
            return GM65CommandSet.reply(status: 0x01, data: [])
        }
    }
}
