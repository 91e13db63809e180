import CheckpointConfig

/// The gate's sections of the configuration file: `[[lane]]`, `[policy]`, `[central]`, `[journal]`
/// (docs/gate.md, docs/policy.md). The gate's identifier is the daemon's top-level `gate`.
struct GateSetup {
    var lanes: [LaneConfiguration]
    var policy: PolicyConfiguration
    var central: CentralConfiguration?
    var journal: JournalConfiguration

    static let topLevelKeys: Set<String> = ["lane", "policy", "central", "journal"]

    /// `knownDevices`: the `[[device]]` ids lanes may name.
    static func load(_ root: ConfigTable, knownDevices: Set<String>) throws(ConfigError) -> GateSetup {
        GateSetup(lanes: try LaneConfiguration.parseAll(root, knownDevices: knownDevices),
                  policy: try PolicyConfiguration.parse(root),
                  central: try CentralConfiguration.parse(root),
                  journal: try JournalConfiguration.parse(root))
    }
}
