/// The merge of a gate's profile levels (docs/fleet.md, docs/contracts.md §14): street, then
/// community, then checkpoint, the most specific winning key by key.
///
/// - A table present at two levels is merged key by key, recursively.
/// - Any other value (a string, number, boolean, or an array — of values or of tables, such as
///   `[[horn.schedule]]` or `[[policy.credentialRule]]`) is replaced as a whole by the more specific
///   level's value. A level cannot remove a key, only set it.
/// - A value of another kind than the less specific one replaces it (a table over a string, …).
///
/// The same rule overlays the effective profile on a gate's local file (the profile wins).
public enum ProfileMerge {
    /// `levels`, least specific first, merged into one table.
    public static func merge(_ levels: [[String: ProfileValue]]) -> [String: ProfileValue] {
        levels.reduce([:], overlay)
    }

    /// `top` laid over `base`: `top` wins key by key, tables merge recursively.
    public static func overlay(_ base: [String: ProfileValue], _ top: [String: ProfileValue]) -> [String: ProfileValue] {
        var out = base
        for (key, value) in top {
            if case .table(let upper) = value, case .table(let lower)? = out[key] {
                out[key] = .table(overlay(lower, upper))
            } else {
                out[key] = value
            }
        }
        return out
    }
}
