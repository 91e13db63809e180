import CheckpointCore
import Uplink

/// Hands profiles from the uplink (built before the reloader) to the `ConfigReloader` once it is
/// connected; a profile arriving before that is refused (the next heartbeat offers it again).
final class ProfileApplierLink: ProfileApplier {
    private let reloader = Mutex<ConfigReloader?>(nil)

    func connect(_ target: ConfigReloader) { reloader.withLock { $0 = target } }

    func applyProfile(_ profile: GateProfile, clipDirectory: String) async -> String? {
        guard let target = reloader.withLock({ $0 }) else { return "the daemon is still starting" }
        return await target.applyProfile(profile, clipDirectory: clipDirectory)
    }
}
