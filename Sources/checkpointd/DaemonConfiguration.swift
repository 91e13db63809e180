import CheckpointConfig
import CheckpointCore
import DeviceRuntime
import Horn

/// The gate's configuration file as the daemon reads it (docs/configuration.md). Each module's
/// section is parsed by that module's type; this file assembles them and owns the top-level keys.
/// A module adds its top-level keys to `topLevelKeys` and its section here.
struct DaemonConfiguration {
    /// The gate's identifier (records, uplink).
    var gate: String
    /// Catalog, `[[device]]`, `[calibration]`, `discover`.
    var devices: DeviceSetup
    /// `[[lane]]`, `[policy]`, `[central]`, `[journal]`.
    var gateSetup: GateSetup
    /// `[horn]`; nil when the section is absent (no horn on this box).
    var horn: HornConfiguration?

    static let topLevelKeys: Set<String> = Set(["gate"]).union(DeviceSetup.topLevelKeys).union(GateSetup.topLevelKeys).union(["horn"])

    static func load(path: String) throws(ConfigError) -> DaemonConfiguration {
        let document = try ConfigDocument(contentsOf: path)
        let root = document.root
        try root.rejectUnknownKeys(topLevelKeys)
        let gate = try root.requiredString("gate")
        guard FieldLimits.isValidIdentifier(gate) else { throw root.error("gate", "\"\(gate)\" must be 1…64 of A–Z a–z 0–9 . _ -") }
        let devices = try DeviceSetup.load(document, families: CatalogFamilies.all)
        return DaemonConfiguration(gate: gate, devices: devices,
                                   gateSetup: try GateSetup.load(root, knownDevices: Set(devices.devices.map(\.id))),
                                   horn: root.contains("horn") ? try HornConfiguration.parse(root) : nil)
    }
}
