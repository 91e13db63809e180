import CheckpointCore
import Uplink

/// How the pipeline's uplink keeps the gate profile (docs/fleet.md): who applies a new version
/// (the daemon's reload path) and what the daemon started with.
public struct ProfileSetup: Sendable {
    public var applier: any ProfileApplier
    /// The stored profile as applied at start, or its refusal.
    public var initial: ProfileReport

    public init(applier: any ProfileApplier, initial: ProfileReport) {
        self.applier = applier
        self.initial = initial
    }
}
