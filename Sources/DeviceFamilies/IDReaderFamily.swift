import CheckpointConfig
import DeviceCatalog
import IDCards

/// The catalog family of SAM-interface ID readers: `family = "sam-id"`, `role = "idReader"`,
/// serial transport (RS-232 or USB CDC), `[protocol]` keys of `IDReaderParameters`.
public enum IDReaderFamily {
    public static let name = "sam-id"

    public static var protocolFamily: ProtocolFamily {
        ProtocolFamily(name: name, role: .idReader, transports: [.serial]) { model throws(ConfigError) in
            _ = try IDReaderParameters.parse(model.protocolParameters)
        }
    }

    /// A session for catalog model `model` on the device with identity `device`.
    public static func session(for model: CatalogModel, device: String) throws(ConfigError) -> IDReaderSession {
        guard model.family == name else {
            throw model.document.error(at: "family", "\"\(model.family)\" is not an ID reader family (known: \(name))")
        }
        return IDReaderSession(model: model.model, device: device, parameters: try IDReaderParameters.parse(model.protocolParameters))
    }
}
