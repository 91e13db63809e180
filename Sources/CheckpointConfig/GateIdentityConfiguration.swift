import CheckpointCore

/// The `[gate]` and `[journal]` sections: who this gate is and where it journals.
///
///     [gate]
///     id = "gate-07"                          # identifier in every record (1…64 of A–Z a–z 0–9 . _ -)
///     [journal]
///     path = "/var/lib/checkpoint/journal.sqlite"
///     retentionDays = 30                      # acknowledged entries are pruned after this
///     minimumFreeMB = 64                      # less free space at start: reported as a full disk
public struct GateIdentityConfiguration: Sendable, Hashable {
    public var gateID: String
    public var journalPath: String = "/var/lib/checkpoint/journal.sqlite"
    public var retentionDays: Int = 30
    public var minimumFreeMB: Int = 64

    public init(gateID: String) { self.gateID = gateID }

    /// Reads `[gate]` (required: `id`) and the optional `[journal]`.
    public static func parse(_ root: ConfigTable) throws(ConfigError) -> GateIdentityConfiguration {
        guard let g = try root.table("gate") else { throw root.error("gate", "required section [gate] with id is missing") }
        try g.rejectUnknownKeys(["id"])
        let id = try g.requiredString("id")
        guard FieldLimits.isValidIdentifier(id) else { throw g.error("id", "\"\(id)\" is not an identifier (1…64 of A–Z a–z 0–9 . _ -)") }
        var c = GateIdentityConfiguration(gateID: id)
        if let j = try root.table("journal") {
            try j.rejectUnknownKeys(["path", "retentionDays", "minimumFreeMB"])
            c.journalPath = try j.string("path", default: c.journalPath)
            c.retentionDays = try j.int("retentionDays", default: c.retentionDays, in: 0...3_650)
            c.minimumFreeMB = try j.int("minimumFreeMB", default: c.minimumFreeMB, in: 0...1_000_000)
        }
        return c
    }
}
