/// Which temperature a sensor measures. Only `body` feeds the fever rule directly; `surface`
/// feeds it only through a conversion the catalog model declares; `ambient` never does.
public enum TemperatureKind: String, Codable, Sendable, CaseIterable, Hashable {
    case body
    case surface
    case ambient
}

/// One temperature as the gate records it (docs/contracts.md §4):
/// `celsius` = `raw` × model scale + model offset (catalog) + unit offset (site configuration).
public struct TemperatureReading: Codable, Sendable, Hashable {
    /// Temperature in °C after scaling and both calibration offsets.
    public var celsius: Double
    /// What the sensor measures.
    public var kind: TemperatureKind
    /// The device's own number before scaling (e.g. register value 365 for 36.5 °C at ×0.1).
    public var raw: Double
    /// Identity of the device that measured it (see `DeviceIdentity`), at most `FieldLimits.maxDeviceIDBytes`.
    public var device: String

    public init(celsius: Double, kind: TemperatureKind, raw: Double, device: String) {
        self.celsius = celsius
        self.kind = kind
        self.raw = raw
        self.device = device
    }
}
