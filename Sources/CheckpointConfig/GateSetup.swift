import CheckpointCore

/// The gate's sections of the configuration file: `[[lane]]`, `[policy]`, `[central]`, `[journal]`
/// (docs/gate.md, docs/policy.md). The gate's identifier is the daemon's top-level `gate`.
public struct GateSetup: Sendable, Hashable {
    public var lanes: [LaneConfiguration]
    public var policy: PolicyConfiguration
    /// nil: an offline gate (journals, never forwards).
    public var central: CentralConfiguration?
    public var journal: JournalConfiguration

    /// The top-level keys this type reads.
    public static let topLevelKeys: Set<String> = ["lane", "policy", "central", "journal"]

    public init(lanes: [LaneConfiguration], policy: PolicyConfiguration = PolicyConfiguration(),
                central: CentralConfiguration? = nil, journal: JournalConfiguration = JournalConfiguration()) {
        self.lanes = lanes
        self.policy = policy
        self.central = central
        self.journal = journal
    }

    /// `knownDevices`: the `[[device]]` ids lanes may name.
    public static func load(_ root: ConfigTable, knownDevices: Set<String>) throws(ConfigError) -> GateSetup {
        GateSetup(lanes: try LaneConfiguration.parseAll(root, knownDevices: knownDevices),
                  policy: try PolicyConfiguration.parse(root),
                  central: try CentralConfiguration.parse(root),
                  journal: try JournalConfiguration.parse(root))
    }
}
