import CheckpointCore
import Thermometers

/// One attached thermometer as `devices.list` reports it.
public struct ThermometerStatus: Codable, Sendable, Hashable {
    public var id: String
    public var model: String
    public var path: String
    /// The identity readings carry (USB identity or path).
    public var identity: String
    /// `open`, `disconnected (…)`, …
    public var port: String
    public var lastReading: TemperatureReading?
    public var statistics: ThermometerStatistics

    public init(id: String, model: String, path: String, identity: String, port: String,
                lastReading: TemperatureReading?, statistics: ThermometerStatistics) {
        self.id = id
        self.model = model
        self.path = path
        self.identity = identity
        self.port = port
        self.lastReading = lastReading
        self.statistics = statistics
    }

    /// One line for `checkpointctl devices`.
    public var summary: String {
        let last = lastReading.map { "\(formatCelsius($0.celsius)) °C \($0.kind.rawValue)" } ?? "no reading yet"
        return "\(id)\t\(model)\t\(path)\t\(port)\t\(last)\t\(statistics.summary)"
    }
}
