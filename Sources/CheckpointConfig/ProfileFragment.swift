import CheckpointCore
import Profiles
import TOMLKit

/// One level of a gate profile as TOML (docs/fleet.md): only what a district decides centrally —
/// `[policy]` (thresholds, decisions, credential rules, the watch list's colours) and `[horn]`'s
/// announcements, event mappings, schedules, volume, volume bands, quiet hours and time zone.
/// Device sections (`[[device]]`, `[[lane]]`, `[central]`, `[journal]`, `[metrics]`, the horn's
/// device and lines, …) stay in the gate's local file and are refused here, as is
/// `[policy.idCard] districtKeyFile` (a path on the box). A clip is named by its content hash,
/// `clip = "sha256:<hex>"`, never by a path.
///
/// This checks the shape; the values are validated by the gate, with its local file, through the
/// same parsers as the file alone (`ProfileOverlay`).
public enum ProfileFragment {
    /// The top-level sections a profile may hold.
    public static let sections: Set<String> = ["policy", "horn"]
    /// The `[horn]` keys a profile may hold; the others describe the box.
    public static let hornKeys: Set<String> = ["timeZone", "volume", "volumeBand", "quietHours", "announcements", "events",
                                               "decisions", "schedule", "rescanAnnouncement", "rescanMinIntervalMs",
                                               "scheduleGraceSeconds"]

    /// Parses one level; `file` names errors (e.g. `profile street/xicheng`). Empty text is an empty level.
    public static func parse(_ text: String, file: String) throws(ConfigError) -> [String: ProfileValue] {
        let document = try ConfigDocument(text: text, file: file)
        let root = document.root
        for key in root.keys where !sections.contains(key) {
            throw root.error(key, "stays in the gate's local file: a profile holds only [policy] and [horn]'s announcements, schedules, volume and quiet hours")
        }
        if let horn = try root.table("horn") {
            for key in horn.keys where !hornKeys.contains(key) {
                throw horn.error(key, "is the gate's own horn setting and stays in its local file (a profile may set \(hornKeys.sorted().joined(separator: ", ")))")
            }
            if let announcements = try horn.table("announcements") {
                for id in announcements.keys {
                    guard let entry = try announcements.table(id), let clip = try entry.string("clip") else { continue }
                    if ProfileClipReference.hash(clip) == nil {
                        throw entry.error("clip", "a profile names a clip by its hash, \"sha256:<64 lowercase hex digits>\" (upload it with POST /v1/clips)")
                    }
                }
            }
        }
        if let policy = try root.table("policy"), let card = try policy.table("idCard"), card.contains("districtKeyFile") {
            throw card.error("districtKeyFile", "is a path on the gate and stays in its local file")
        }
        return try values(root)
    }

    /// A profile as TOML text (keys sorted), which `parse` reads back to the same values.
    public static func text(_ profile: [String: ProfileValue]) -> String {
        TOMLBridge.table(profile).convert(to: .toml, options: [.allowUnicodeStrings, .allowMultilineStrings])
    }

    static func values(_ table: ConfigTable) throws(ConfigError) -> [String: ProfileValue] {
        var out: [String: ProfileValue] = [:]
        for key in table.keys {
            guard let value = table.table[key] else { continue }
            out[key] = try TOMLBridge.value(value, path: table.path(of: key), document: table.document)
        }
        return out
    }
}
