/// The `[journal]` section: where and how long the gate keeps its journal (the gate's identifier
/// is the top-level `gate` key).
///
///     [journal]
///     path = "/var/lib/checkpoint/journal.sqlite"
///     retentionDays = 30        # acknowledged entries are pruned after this (0: at once)
///     minimumFreeMB = 64        # less free space at start: reported as a full disk
///     maximumMB = 1024          # the journal never grows beyond this (then: full, the gate refers);
///                               # default 1024, 0 = no cap
public struct JournalConfiguration: Sendable, Hashable {
    public var path: String = "/var/lib/checkpoint/journal.sqlite"
    public var retentionDays: Int = 30
    public var minimumFreeMB: Int = 64
    /// Cap on the journal file's size in MB (default 1024: an unforwarded journal never fills the
    /// disk; about a million entries); nil (`maximumMB = 0`): none.
    public var maximumMB: Int? = JournalConfiguration.defaultMaximumMB

    public static let defaultMaximumMB = 1_024

    public init() {}

    /// Reads the optional `[journal]` section.
    public static func parse(_ root: ConfigTable) throws(ConfigError) -> JournalConfiguration {
        var c = JournalConfiguration()
        guard let j = try root.table("journal") else { return c }
        try j.rejectUnknownKeys(["path", "retentionDays", "minimumFreeMB", "maximumMB"])
        c.path = try j.string("path", default: c.path)
        guard c.path.hasPrefix("/") else { throw j.error("path", "must be an absolute path") }
        c.retentionDays = try j.int("retentionDays", default: c.retentionDays, in: 0...3_650)
        c.minimumFreeMB = try j.int("minimumFreeMB", default: c.minimumFreeMB, in: 0...1_000_000)
        let maximum = try j.int("maximumMB", default: JournalConfiguration.defaultMaximumMB, in: 0...1_000_000)
        c.maximumMB = maximum == 0 ? nil : maximum
        return c
    }
}
