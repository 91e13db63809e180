import CheckpointConfig
import CheckpointCore
import DeviceCatalog
import Thermometers

/// A thermometer session built from a catalog model (the type is in Thermometers).
extension ThermometerSession {
    /// A session for catalog thermometer model `model` on the device with identity `device`;
    /// `unitOffset` is this unit's calibration, °C.
    public init(model: CatalogModel, device: String, unitOffset: Double = 0) throws(ConfigError) {
        guard let scaling = model.temperature else {
            throw model.document.error(at: "temperature", "model \(model.model) is not a thermometer")
        }
        let codec = try ThermometerFamilies.codec(for: model)
        self.init(model: model.model, device: device, codec: codec, scaling: scaling,
                  polling: try PollingParameters.parse(model.protocolParameters), unitOffset: unitOffset)
    }
}
