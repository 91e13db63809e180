import CheckpointConfig
import DeviceCatalog
import Thermometers

/// Reading a `gd60914` model's `[protocol]` table (docs/thermometers.md).
extension GD60914Codec {
    /// The `[protocol]` keys of the family besides the polling keys.
    public static let parameterKeys: Set<String> = ["target"]

    /// The codec for catalog model `model` (`target` defaults to `forehead`).
    public init(model: CatalogModel) throws(ConfigError) {
        self.init(target: try model.protocolParameters.enumeration("target", Target.self) ?? .forehead)
    }
}
