import Scanners

/// The configuration side of a simulated GM65 / GM805 module: zone bytes in RAM and in flash,
/// answering `7E 00 …` commands exactly like the module (replies `02 00 00 len data CRC`).
/// A frame with a bad CRC gets no reply (as the module ignores it); so does garbage.
public struct GM65Device: Sendable {
    /// Zone bytes in effect (RAM).
    public private(set) var zones: [UInt16: UInt8]
    /// Zone bytes that survive a power cycle.
    public private(set) var flash: [UInt16: UInt8]
    /// Frames received with a bad CRC (for tests).
    public private(set) var badFrames = 0
    private var buffer: [UInt8] = []

    public init(zones: [UInt16: UInt8] = [0x00D0: 0x00, 0x0060: 0x00]) {
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
