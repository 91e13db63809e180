import CheckpointConfig
import CheckpointCore
import DeviceCatalog
import DeviceFamilies
import Foundation
import Scanners
import Thermometers

/// The device part of the gate's configuration file: `catalog`, `discover`, `[[device]]`,
/// `[calibration]`, with the catalog loaded and every configured model checked against it.
/// Shared by `checkpointd` (which also owns the other top-level keys) and `checkpointctl`.
public struct DeviceSetup: Sendable {
    /// The catalog directory actually used.
    public var catalogDirectory: String
    public var catalog: Catalog
    public var devices: [DeviceConfiguration]
    public var calibration: CalibrationTable
    /// Attach discovered devices that the catalog matches to exactly one thermometer model.
    public var discover: Bool

    /// The top-level keys this type reads.
    public static let topLevelKeys: Set<String> = ["catalog", "discover", "device", "calibration"]

    public init(catalogDirectory: String, catalog: Catalog, devices: [DeviceConfiguration] = [],
                calibration: CalibrationTable = CalibrationTable(), discover: Bool = false) {
        self.catalogDirectory = catalogDirectory
        self.catalog = catalog
        self.devices = devices
        self.calibration = calibration
        self.discover = discover
    }

    /// Reads the device sections of `document` (a relative `catalog` is relative to the file's
    /// folder); `catalogOverride` replaces the configured catalog directory. The catalog is checked
    /// against `families` — pass every family the program knows (thermometers and scanners), or
    /// the other role's files are reported as unknown families.
    public static func load(_ document: ConfigDocument, catalogOverride: String? = nil,
                            families: [ProtocolFamily] = ThermometerFamilies.protocolFamilies) throws(ConfigError) -> DeviceSetup {
        let root = document.root
        let catalogDirectory: String
        if let catalogOverride {
            catalogDirectory = catalogOverride
        } else if let configured = try root.string("catalog") {
            let base = URL(fileURLWithPath: document.file).deletingLastPathComponent()
            catalogDirectory = configured.hasPrefix("/") ? configured : base.appendingPathComponent(configured).standardized.path
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: catalogDirectory, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw root.error("catalog", "\(catalogDirectory) is not a directory")
            }
        } else {
            catalogDirectory = defaultCatalogDirectory
        }
        let catalog = Catalog.load(directory: catalogDirectory, families: families)
        let devices = try DeviceConfiguration.parseAll(root)
        for (device, table) in zip(devices, try root.tables("device")) {
            if let model = device.model, catalog.model(model) == nil {
                throw table.error("model", "no model \"\(model)\" in the catalog \(catalogDirectory) (known: \(catalog.models.map(\.model).joined(separator: ", ")))")
            }
            if device.location == .catalogMatch, let model = device.model.flatMap({ catalog.model($0) }), model.match.isEmpty {
                throw table.error("model", "model \"\(model.model)\" has no [match] in its catalog file, so it finds no device by itself: give path or match")
            }
        }
        return DeviceSetup(catalogDirectory: catalogDirectory, catalog: catalog, devices: devices,
                           calibration: try CalibrationTable.parse(root), discover: try root.bool("discover", default: false))
    }

    /// The surface → body conversions (`[temperature] toBody`) that the catalog models of the
    /// configured devices declare, by `[[device]]` id; the gate's policy takes them.
    public var surfaceToBody: [String: SurfaceToBody] {
        var out: [String: SurfaceToBody] = [:]
        for device in devices {
            if let model = device.model, let conversion = catalog.model(model)?.temperature?.bodyConversion {
                out[device.id] = conversion
            }
        }
        return out
    }

    /// The first of `Catalog.defaultDirectories` that exists.
    public static var defaultCatalogDirectory: String {
        Catalog.defaultDirectories.first { FileManager.default.fileExists(atPath: $0) } ?? Catalog.defaultDirectories[0]
    }
}
