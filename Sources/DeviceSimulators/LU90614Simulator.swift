import Thermometers

/// A simulated LU90614: understands `FA code sum` commands (body / object mode, measure), answers
/// a measure with the 9-byte reply in the current mode. Commands with a bad sum are ignored.
public struct LU90614Simulator: DeviceBehavior {
    public var temperature: SimulatedTemperature
    public private(set) var mode: LU90614Codec.Mode = .body
    private var input: [UInt8] = []

    public init(temperature: SimulatedTemperature) { self.temperature = temperature }

    public var streamPeriodMs: Int? { nil }
    public mutating func tick() -> [UInt8]? { nil }
    public var status: String { "mode \(mode.rawValue), \(temperature.celsius) °C" }

    public mutating func received(_ bytes: [UInt8]) -> [[UInt8]] {
        input += bytes
        var replies: [[UInt8]] = []
        while let start = input.firstIndex(of: 0xFA) {
            input.removeFirst(start)
            guard input.count >= 3 else { break }
            let code = input[1]
            guard input[2] == Checksum.sum8([0xFA, code]) else { input.removeFirst(); continue }
            input.removeFirst(3)
            switch code {
            case 0xC5: mode = .body
            case 0xC6: mode = .object
            case 0xCA: replies.append(LU90614Codec.reply(mode: mode, hundredths: temperature.raw))
            default: break
            }
        }
        if input.first != 0xFA { input.removeAll() }
        return replies
    }

    public mutating func command(_ words: [String]) throws(SimulatorCommandError) -> String {
        if let reply = try temperature.command(words) { return reply }
        throw SimulatorCommandError("lu90614: unknown command \"\(words.joined(separator: " "))\" (set <°C>)")
    }
}
