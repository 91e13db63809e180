/// A conversion from a surface (skin) temperature to a body temperature that a thermometer model
/// declares in its catalog file (`[temperature] toBody`): body °C = surface °C × `scale` + `offset`.
/// Without one, a surface reading never feeds the fever rule (docs/policy.md, rule 4).
public struct SurfaceToBody: Sendable, Hashable {
    /// Body °C per surface °C (catalog range 0.5…2).
    public var scale: Double
    /// °C added after scaling (catalog range −10…20).
    public var offset: Double

    public init(scale: Double = 1, offset: Double) {
        self.scale = scale
        self.offset = offset
    }

    /// Body °C for a surface °C.
    public func bodyCelsius(fromSurface celsius: Double) -> Double { celsius * scale + offset }
}
