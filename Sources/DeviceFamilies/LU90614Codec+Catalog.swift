import CheckpointConfig
import DeviceCatalog
import Thermometers

/// Reading an `lu90614` model's `[protocol]` table (docs/thermometers.md).
extension LU90614Codec {
    /// The `[protocol]` keys of the family besides the polling keys.
    public static let parameterKeys: Set<String> = ["mode"]

    /// The codec for catalog model `model`; its `mode` must agree with `[temperature] kind`.
    public init(model: CatalogModel) throws(ConfigError) {
        let mode = try model.protocolParameters.enumeration("mode", Mode.self) ?? .body
        if mode == .body, let kind = model.temperature?.kind, kind != .body {
            throw model.document.error(at: "temperature.kind", "mode \"body\" measures body temperature: kind must be \"body\"")
        }
        if mode == .object, model.temperature?.kind == .body {
            throw model.document.error(at: "temperature.kind", "mode \"object\" measures a surface: kind must be \"surface\" or \"ambient\"")
        }
        self.init(mode: mode)
    }
}
