/// How a profile names an uploaded clip: `clip = "sha256:<64 lowercase hex digits>"` in
/// `[horn.announcements.ID]`, the SHA-256 of the WAV file's bytes (docs/fleet.md).
public enum ProfileClipReference {
    public static let prefix = "sha256:"

    /// The hash a reference names, or nil if `text` is not a well-formed reference.
    public static func hash(_ text: String) -> String? {
        guard text.hasPrefix(prefix) else { return nil }
        let hex = String(text.dropFirst(prefix.count))
        return isHash(hex) ? hex : nil
    }

    /// True for 64 lowercase hexadecimal digits.
    public static func isHash(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    /// Every clip hash the profile names (in `horn.announcements.*.clip`), sorted, each once.
    public static func hashes(in profile: [String: ProfileValue]) -> [String] {
        guard case .table(let horn)? = profile["horn"], case .table(let announcements)? = horn["announcements"] else { return [] }
        var found = Set<String>()
        for case .table(let entry) in announcements.values {
            if case .string(let clip)? = entry["clip"], let hash = hash(clip) { found.insert(hash) }
        }
        return found.sorted()
    }
}
