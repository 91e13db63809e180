import Scanners

/// A simulated Zebra decoder on its SSI port: ACKs valid packets, NAKs (cause 1, resend) packets
/// with a bad checksum, keeps parameters temporary or permanent as PARAM_SEND's status says, answers
/// PARAM_REQUEST with a PARAM_SEND from the decoder (which the host ACKs), and START_SESSION /
/// STOP_SESSION / SCAN_ENABLE / SCAN_DISABLE with ACK.
public struct ZebraSSIDevice: Sendable {
    public private(set) var parameters: [UInt8: UInt8]
    public private(set) var permanent: [UInt8: UInt8]
    public private(set) var scanningEnabled = true
    public private(set) var sessionActive = false
    /// Host ACKs received for decoder messages.
    public private(set) var hostAcks = 0
    public private(set) var badPackets = 0
    private var buffer: [UInt8] = []

    public init(parameters: [UInt8: UInt8] = [0x2D: 0x00, 0xEB: 0x01, 0x68: 0x0D, 0x6A: 0x0A]) {
        self.parameters = parameters
        self.permanent = parameters
    }

    /// What follows each scan, as the parameters say: 0xEB scan data transmission format (0 data
    /// only, 1 + suffix 1, 3 + suffix 1 + suffix 2; values 0x68/0x6A), each suffix sent only if its
    /// key category (0x62/0x64, newer Zebra guides) is 1 — an absent key category counts as 1 (older
    /// decoders have none).
    public var suffix: [UInt8] {
        let first = parameters[0x62] ?? 1 == 1 ? [parameters[0x68] ?? 0x0D] : []
        let second = parameters[0x64] ?? 1 == 1 ? [parameters[0x6A] ?? 0x0A] : []
        switch parameters[0xEB] ?? 0 {
        case 1: return first
        case 3: return first + second
        default: return []
        }
    }

    /// Whether scans carry AIM identifiers (0x2D transmit code ID = 1).
    public var sendsAIM: Bool { parameters[0x2D] == 1 }

    public mutating func powerCycle() { parameters = permanent; buffer = []; scanningEnabled = true; sessionActive = false }

    typealias SSI = ZebraSSICommandSet

    public mutating func receive(_ bytes: [UInt8]) -> [UInt8] {
        buffer += bytes
        var out: [UInt8] = []
        while let p = SSI.parse(buffer) {
            buffer.removeFirst(min(p.consumed, buffer.count))
            guard p.consumed > 1 else { continue } // length byte below 4: skip
            guard p.checksumValid else {
                badPackets += 1
                out += SSI.packet(opcode: SSI.cmdNak, source: SSI.decoderSource, data: [0x01])
                continue
            }
            out += handle(p)
        }
        return out
    }

    private func ack() -> [UInt8] { SSI.packet(opcode: SSI.cmdAck, source: SSI.decoderSource) }
    private func nak(_ cause: UInt8) -> [UInt8] { SSI.packet(opcode: SSI.cmdNak, source: SSI.decoderSource, data: [cause]) }

    private mutating func handle(_ p: ZebraSSICommandSet.Packet) -> [UInt8] {
        switch p.opcode {
        case SSI.cmdAck: hostAcks += 1; return []
        case SSI.cmdNak: return []
        case SSI.scanEnable: scanningEnabled = true; return ack()
        case SSI.scanDisable: scanningEnabled = false; return ack()
        case SSI.startSession: sessionActive = true; return ack()
        case SSI.stopSession: sessionActive = false; return ack()
        case SSI.paramSend:
            let pairs = Array(p.data.dropFirst()) // beep code
            guard pairs.count % 2 == 0 else { return nak(0x02) }
            let keep = p.status & SSI.permanentBit != 0
            for i in stride(from: 0, to: pairs.count, by: 2) {
                guard pairs[i] <= 0xEF else { return nak(0x02) }
                parameters[pairs[i]] = pairs[i + 1]
                if keep { permanent[pairs[i]] = pairs[i + 1] }
            }
            return ack()
        case SSI.paramRequest:
            var pairs: [UInt8] = []
            for number in p.data { if let v = parameters[number] { pairs += [number, v] } }
            return SSI.packet(opcode: SSI.paramSend, source: SSI.decoderSource, data: [SSI.noBeep] + pairs)
        default:
            return nak(0x02)
        }
    }
}
