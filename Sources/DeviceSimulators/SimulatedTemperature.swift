import CheckpointCore
import DeviceCatalog

/// The temperature a simulated thermometer measures, settable at runtime (`set 37.9`), converted to
/// the model's raw units with its catalog scaling: raw = (°C − model offset) / scale.
public struct SimulatedTemperature: Sendable, Hashable {
    /// °C as the model reports it after its own calibration.
    public var celsius: Double
    public let scaling: TemperatureScaling

    public init(celsius: Double? = nil, scaling: TemperatureScaling) {
        self.celsius = celsius ?? Self.defaultCelsius(for: scaling.kind)
        self.scaling = scaling
    }

    /// The raw value the device sends for `celsius`, rounded to the device's resolution.
    public var raw: Int { Int(((celsius - scaling.offset) / scaling.scale).rounded()) }

    /// Handles `set <°C>`; nil for any other command.
    public mutating func command(_ words: [String]) throws(SimulatorCommandError) -> String? {
        guard words.first == "set" else { return nil }
        guard words.count == 2, let c = Double(words[1]), c.isFinite else {
            throw SimulatorCommandError("usage: set <°C>, e.g. set 37.9")
        }
        celsius = c
        return "temperature \(c) °C (raw \(raw))"
    }

    /// A normal body temperature for body sensors, skin for surface ones, a room for the others.
    public static func defaultCelsius(for kind: TemperatureKind) -> Double {
        switch kind {
        case .body: return 36.6
        case .surface: return 34.2
        case .ambient: return 21.5
        }
    }
}
