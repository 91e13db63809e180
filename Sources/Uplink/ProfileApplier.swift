import CheckpointCore

/// What applies a gate profile (the daemon's reload path): validates the gate's local file with
/// the profile laid over it, through the same parsers as the file alone, and applies it without a
/// restart — or refuses it whole, the running configuration staying.
public protocol ProfileApplier: Sendable {
    /// nil when `profile` (its clips in `clipDirectory`) was applied; else why it was refused.
    func applyProfile(_ profile: GateProfile, clipDirectory: String) async -> String?
}
