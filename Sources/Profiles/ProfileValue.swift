/// One value of a gate profile: the part of TOML a profile may hold (docs/fleet.md). Dates and
/// times are not among them: the configuration spells them as strings.
public indirect enum ProfileValue: Sendable, Hashable {
    case string(String)
    case integer(Int)
    case float(Double)
    case boolean(Bool)
    /// An array of values or of tables; always replaced as a whole by a more specific level.
    case array([ProfileValue])
    /// A table; merged key by key with a less specific level's table of the same key.
    case table([String: ProfileValue])
}
