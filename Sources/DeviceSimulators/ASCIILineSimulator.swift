import Foundation

/// A simulated text-line thermometer: prints `format` with `{value}` replaced by the raw value,
/// then CR LF — every `periodMs` (a streaming module), or in answer to `command` when it has one.
public struct ASCIILineSimulator: DeviceBehavior {
    public var temperature: SimulatedTemperature
    /// E.g. `BODY {value} C`.
    public let format: String
    /// The poll text the host sends (e.g. `READ\r\n`), nil for a streaming module.
    public let command: [UInt8]?
    public let periodMs: Int
    private var input: [UInt8] = []

    public init(temperature: SimulatedTemperature, format: String = "BODY {value} C", command: [UInt8]? = nil, periodMs: Int = 1000) {
        self.temperature = temperature
        self.format = format
        self.command = command
        self.periodMs = periodMs
    }

    public var streamPeriodMs: Int? { command == nil ? periodMs : nil }
    public var status: String { "\"\(format)\", \(temperature.celsius) °C" }

    /// The line for the current temperature: whole raw units when the scale is finer than 1 °C,
    /// otherwise the value with two decimals.
    public func line() -> [UInt8] {
        let scale = temperature.scaling.scale
        let text: String
        if abs(scale) < 1 {
            text = String(temperature.raw)
        } else {
            text = String(format: "%.2f", (temperature.celsius - temperature.scaling.offset) / scale)
        }
        return Array(format.replacingOccurrences(of: "{value}", with: text).utf8) + [0x0D, 0x0A]
    }

    public mutating func tick() -> [UInt8]? { command == nil ? line() : nil }

    public mutating func received(_ bytes: [UInt8]) -> [[UInt8]] {
        guard let command, !command.isEmpty else { return [] }
        input += bytes
        var replies: [[UInt8]] = []
        while let range = input.firstRange(of: command) {
            input.removeSubrange(..<range.upperBound)
            replies.append(line())
        }
        if input.count > 1024 { input.removeAll() }
        return replies
    }

    public mutating func command(_ words: [String]) throws(SimulatorCommandError) -> String {
        if let reply = try temperature.command(words) { return reply }
        throw SimulatorCommandError("ascii-line: unknown command \"\(words.joined(separator: " "))\" (set <°C>)")
    }
}
