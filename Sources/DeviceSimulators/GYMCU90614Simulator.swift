import Thermometers

/// A simulated GY-MCU90614 / 90615: `A5 15 BA` answers one frame; `A5 45 EA` starts continuous
/// output (about 14 Hz, as the real module) which any query command stops.
public struct GYMCU90614Simulator: DeviceBehavior {
    /// The measured object temperature; the ambient one is `ambientCelsius`.
    public var temperature: SimulatedTemperature
    public var ambientCelsius: Double = 24.0
    public private(set) var continuous = false
    /// Which temperature the model's catalog reads: the simulated value goes there.
    public let value: GYMCU90614Codec.Value
    private var input: [UInt8] = []

    public init(temperature: SimulatedTemperature, value: GYMCU90614Codec.Value) {
        self.temperature = temperature
        self.value = value
    }

    public var streamPeriodMs: Int? { continuous ? 70 : nil }
    public var status: String { "\(continuous ? "continuous" : "query") mode, \(temperature.celsius) °C" }

    public mutating func tick() -> [UInt8]? { continuous ? frame() : nil }

    private func frame() -> [UInt8] {
        let other = Int((ambientCelsius * 100).rounded())
        return value == .object
            ? GYMCU90614Codec.frame(objectHundredths: temperature.raw, ambientHundredths: other)
            : GYMCU90614Codec.frame(objectHundredths: other, ambientHundredths: temperature.raw)
    }

    public mutating func received(_ bytes: [UInt8]) -> [[UInt8]] {
        input += bytes
        var replies: [[UInt8]] = []
        while let start = input.firstIndex(of: 0xA5) {
            input.removeFirst(start)
            guard input.count >= 3 else { break }
            let command = Array(input.prefix(3))
            guard command[2] == Checksum.sum8(command[0..<2]) else { input.removeFirst(); continue }
            input.removeFirst(3)
            if command == GYMCU90614Codec.queryCommand {
                continuous = false
                replies.append(frame())
            } else if command == GYMCU90614Codec.continuousCommand {
                continuous = true
            }
        }
        if input.first != 0xA5 { input.removeAll() }
        return replies
    }

    public mutating func command(_ words: [String]) throws(SimulatorCommandError) -> String {
        if let reply = try temperature.command(words) { return reply }
        throw SimulatorCommandError("gy-mcu90614: unknown command \"\(words.joined(separator: " "))\" (set <°C>)")
    }
}
