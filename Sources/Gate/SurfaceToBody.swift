/// A conversion from a surface (skin) temperature to a body temperature that a thermometer model
/// declares in its catalog file: body °C = surface °C × `scale` + `offset`. Without one, a surface
/// reading never feeds the fever rule (docs/contracts.md §4).
public struct SurfaceToBody: Sendable, Hashable {
    public var scale: Double
    public var offset: Double

    public init(scale: Double = 1, offset: Double) {
        self.scale = scale
        self.offset = offset
    }

    public func bodyCelsius(fromSurface celsius: Double) -> Double { celsius * scale + offset }
}
