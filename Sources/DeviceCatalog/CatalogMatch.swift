/// The outcome of matching a discovered device against the catalog.
public enum CatalogMatch: Sendable {
    /// No model recognises the device.
    case none
    /// Exactly one model has the best score.
    case matched(CatalogModel, score: Int)
    /// Several models share the best score (e.g. several CH340 `1a86:7523` modules): the device is
    /// not guessed; the configuration must name its model.
    case ambiguous([CatalogModel], score: Int)

    /// The matched model, nil for `none` and `ambiguous`.
    public var model: CatalogModel? {
        if case .matched(let m, _) = self { return m }
        return nil
    }

    /// `lu90614`, `ambiguous: a, b`, `none`.
    public var summary: String {
        switch self {
        case .none: return "none"
        case .matched(let m, _): return m.model
        case .ambiguous(let ms, _): return "ambiguous: \(ms.map(\.model).joined(separator: ", "))"
        }
    }
}
