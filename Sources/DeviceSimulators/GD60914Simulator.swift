import Thermometers

/// A simulated GD60914: ignores measure commands until `A1` selects single-measurement mode, then
/// answers `AA` / `AB` / `AC` with the 7-byte ASCII reply (tenths of °C).
public struct GD60914Simulator: DeviceBehavior {
    public var temperature: SimulatedTemperature
    public private(set) var singleMode = false

    public init(temperature: SimulatedTemperature) { self.temperature = temperature }

    public var streamPeriodMs: Int? { nil }
    public mutating func tick() -> [UInt8]? { nil }
    public var status: String { "\(singleMode ? "single" : "idle") mode, \(temperature.celsius) °C" }

    public mutating func received(_ bytes: [UInt8]) -> [[UInt8]] {
        var replies: [[UInt8]] = []
        for byte in bytes {
            switch byte {
            case 0xA1: singleMode = true
            case 0xAA, 0xAB, 0xAC:
                if singleMode { replies.append(GD60914Codec.reply(tenths: temperature.raw)) }
            default: break
            }
        }
        return replies
    }

    public mutating func command(_ words: [String]) throws(SimulatorCommandError) -> String {
        if let reply = try temperature.command(words) { return reply }
        throw SimulatorCommandError("gd60914: unknown command \"\(words.joined(separator: " "))\" (set <°C>)")
    }
}
