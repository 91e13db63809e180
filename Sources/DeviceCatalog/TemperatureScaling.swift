import CheckpointConfig
import CheckpointCore

/// The `[temperature]` table of a thermometer model (BRIEF.md contract 3):
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

    /// Reads and validates a `[temperature]` table.
    public static func parse(_ table: ConfigTable) throws(ConfigError) -> TemperatureScaling {
        try table.rejectUnknownKeys(["kind", "scale", "offset", "range", "toBody"])
        guard let kind = try table.enumeration("kind", TemperatureKind.self) else { throw table.error("kind", "required key is missing") }
        let scale = try table.requiredDouble("scale")
        guard scale != 0 else { throw table.error("scale", "must not be 0") }
        let offset = try table.double("offset", default: 0, in: -20...20)
        guard let bounds = try table.doubles("range") else { throw table.error("range", "required key is missing") }
        guard bounds.count == 2, bounds[0] < bounds[1] else {
            throw table.error("range", "expected [lowest, highest] °C with lowest < highest")
        }
        guard FieldLimits.celsiusWireRange.contains(bounds[0]), FieldLimits.celsiusWireRange.contains(bounds[1]) else {
            throw table.error("range", "must lie within \(FieldLimits.celsiusWireRange.lowerBound)…\(FieldLimits.celsiusWireRange.upperBound) °C")
        }
        var conversion: SurfaceToBody?
        if let t = try table.table("toBody") {
            guard kind == .surface else { throw table.error("toBody", "only a surface thermometer declares a conversion to body temperature") }
            try t.rejectUnknownKeys(["scale", "offset"])
            conversion = SurfaceToBody(scale: try t.double("scale", default: 1, in: 0.5...2), offset: try t.requiredDouble("offset", in: -10...20))
        }
        return TemperatureScaling(kind: kind, scale: scale, offset: offset, range: bounds[0]...bounds[1], bodyConversion: conversion)
    }
}
