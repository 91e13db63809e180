import CheckpointConfig
import DeviceCatalog
import Thermometers

/// Reading a `gy-mcu90614` model's `[protocol]` table (docs/thermometers.md).
extension GYMCU90614Codec {
    /// The `[protocol]` keys of the family besides the polling keys.
    public static let parameterKeys: Set<String> = ["value"]

    /// The codec for catalog model `model` (`value` defaults to `object`).
    public init(model: CatalogModel) throws(ConfigError) {
        self.init(value: try model.protocolParameters.enumeration("value", Value.self) ?? .object)
    }
}
