import CheckpointConfig
import DeviceCatalog

/// What a configured device's runner is built from: its `[[device]]` section (id, model, path or
/// selector; not where in the file it stands) and the text of its catalog model's file. When the
/// configuration is reloaded, a device whose fingerprint is unchanged keeps its open port; any
/// other is closed and opened again (calibration and keys are compared by their owners).
public struct DeviceFingerprint: Sendable, Hashable {
    public var id: String
    public var model: String?
    public var location: DeviceConfiguration.Location
    /// The catalog file's path and text; nil when the model is not named or not in the catalog.
    public var catalogFile: String?
    public var catalogText: String?

    public init(_ device: DeviceConfiguration, catalog: Catalog) {
        id = device.id
        model = device.model
        location = device.location
        let file = device.model.flatMap { catalog.model($0) }?.document
        catalogFile = file?.file
        catalogText = file?.text
    }

    /// The fingerprints of every configured device of `setup`, by id.
    public static func of(_ setup: DeviceSetup) -> [String: DeviceFingerprint] {
        Dictionary(setup.devices.map { ($0.id, DeviceFingerprint($0, catalog: setup.catalog)) }, uniquingKeysWith: { a, _ in a })
    }
}
