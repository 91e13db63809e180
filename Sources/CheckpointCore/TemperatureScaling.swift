/// How a thermometer model's raw values become °C: the `[temperature]` table of its catalog file
/// (docs/contracts.md §4; read by DeviceCatalog):
/// °C = raw × `scale` + `offset` (this model's calibration) + the unit's offset (site configuration).
///
///     [temperature]
///     kind = "body"            # body | surface | ambient
///     scale = 0.01             # °C per raw unit
///     offset = 0.0             # the model's calibration, °C
///     range = [-20.0, 100.0]   # the sensor's valid range, °C
///     toBody = { scale = 1.0, offset = 2.5 }   # surface only, optional: body °C = surface °C × scale + offset
public struct TemperatureScaling: Sendable, Hashable {
    public var kind: TemperatureKind
    /// °C per raw unit.
    public var scale: Double
    /// The model's calibration offset, °C.
    public var offset: Double
    /// The sensor's valid range in °C, checked against raw × scale + model offset (before the
    /// unit's offset): a value outside it is a rejected frame, not a reading.
    public var range: ClosedRange<Double>
    /// The model's declared surface → body conversion (`kind = "surface"` only), nil if none.
    public var bodyConversion: SurfaceToBody?

    public init(kind: TemperatureKind, scale: Double, offset: Double = 0, range: ClosedRange<Double>,
                bodyConversion: SurfaceToBody? = nil) {
        self.kind = kind
        self.scale = scale
        self.offset = offset
        self.range = range
        self.bodyConversion = bodyConversion
    }

    /// The sensor's value in °C with the model's calibration, before the unit's offset.
    public func sensorCelsius(raw: Double) -> Double { raw * scale + offset }

    /// The reading for `raw`, or nil when the sensor value lies outside `range`.
    /// `unitOffset` is this unit's calibration in °C; `device` its identity.
    public func reading(raw: Double, unitOffset: Double, device: String) -> TemperatureReading? {
        let sensor = sensorCelsius(raw: raw)
        guard range.contains(sensor) else { return nil }
        return TemperatureReading(celsius: sensor + unitOffset, kind: kind, raw: raw, device: device)
    }
}
