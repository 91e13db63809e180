import CheckpointConfig
import CheckpointCore
import DeviceFamilies
import DeviceRuntime
import Horn
import HornConfig

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
    /// `[metrics]`; nil: no metrics endpoint.
    var metrics: MetricsConfiguration?

    static let topLevelKeys: Set<String> = Set(["gate"]).union(DeviceSetup.topLevelKeys).union(GateSetup.topLevelKeys)
        .union(["horn", MetricsConfiguration.topLevelKey])

    /// Reads the file at `path`, with `profile` laid over it (`ProfileOverlay`, its clips in
    /// `clipDirectory`) when given: one validation for the file alone and for file and profile.
    static func load(path: String, profile: GateProfile? = nil, clipDirectory: String = "") throws(ConfigError) -> DaemonConfiguration {
        var document = try ConfigDocument(contentsOf: path)
        if let profile {
            let values = try ProfileFragment.parse(profile.toml, file: "profile v\(profile.version)")
            document = try ProfileOverlay.overlay(document, profile: values, version: profile.version, clipDirectory: clipDirectory)
        }
        let root = document.root
        try root.rejectUnknownKeys(topLevelKeys)
        let gate = try root.requiredString("gate")
        guard FieldLimits.isValidIdentifier(gate) else { throw root.error("gate", "\"\(gate)\" must be 1…64 of A–Z a–z 0–9 . _ -") }
        let devices = try DeviceSetup.load(document, families: CatalogFamilies.all)
        let gateSetup = try GateSetup.load(root, knownDevices: Set(devices.devices.map(\.id)))
        try checkIDReaders(root, gateSetup, devices)
        return DaemonConfiguration(gate: gate, devices: devices, gateSetup: gateSetup,
                                   horn: root.contains("horn") ? try HornConfiguration.parse(root) : nil,
                                   metrics: try MetricsConfiguration.parse(root))
    }

    /// A lane's `idReaders` must name ID reader models, and need the district key the card numbers
    /// are hashed with (`[policy.idCard] districtKeyFile`, else `[central] districtKeyFile`).
    private static func checkIDReaders(_ root: ConfigTable, _ gate: GateSetup, _ devices: DeviceSetup) throws(ConfigError) {
        let tables = try root.tables("lane")
        for (lane, table) in zip(gate.lanes, tables) where !lane.idReaders.isEmpty {
            for id in lane.idReaders {
                guard let model = devices.devices.first(where: { $0.id == id })?.model.flatMap({ devices.catalog.model($0) }) else { continue }
                guard model.role == .idReader else {
                    throw table.error("idReaders", "device \"\(id)\" is a \(model.role.rawValue) (model \(model.model)), not an ID reader")
                }
            }
            guard gate.policy.idCard.districtKeyFile ?? gate.central?.districtKeyFile != nil else {
                throw table.error("idReaders", "an ID reader needs [policy.idCard] districtKeyFile or [central] districtKeyFile (the district key card numbers are hashed with)")
            }
        }
    }
}
