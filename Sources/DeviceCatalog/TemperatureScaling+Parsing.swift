import CheckpointConfig
import CheckpointCore

/// Reading `TemperatureScaling` from a catalog file's `[temperature]` table (the type is in CheckpointCore).
extension TemperatureScaling {
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
