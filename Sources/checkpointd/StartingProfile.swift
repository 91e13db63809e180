import CheckpointCore
import Journal
import Logging
import Uplink

/// The gate profile the daemon starts with (docs/fleet.md): the one last applied, stored in the
/// journal's file, laid over the local file — so a gate keeps it offline and across restarts. If
/// the local file changed so that the stored profile no longer validates with it, the gate starts
/// with the file alone and reports the refusal.
struct StartingProfile {
    /// The profile in force at start (nil: the file alone).
    var applied: GateProfile?
    var report: ProfileReport
    var clipDirectory: String
    /// Hands new versions to the reloader once it exists.
    let link = ProfileApplierLink()

    /// Lays the stored profile over `configuration` (read from `path`) when it validates.
    static func load(_ configuration: inout DaemonConfiguration, path: String, logger: Logger) -> StartingProfile {
        let journal = configuration.gateSetup.journal.path
        var start = StartingProfile(applied: nil, report: ProfileReport(appliedVersion: 0),
                                    clipDirectory: ProfileSync.clipDirectory(forJournal: journal))
        let stored: GateProfile?
        do { stored = try Journal.appliedProfile(path: journal) } catch {
            logger.error("profile: the stored profile cannot be read (\(error)); starting with \(path) alone")
            return start
        }
        guard let stored else { return start }
        do {
            configuration = try DaemonConfiguration.load(path: path, profile: stored, clipDirectory: start.clipDirectory)
            start.applied = stored
            start.report = ProfileReport(appliedVersion: stored.version)
            logger.notice("profile v\(stored.version) (stored) applied over \(path)")
        } catch {
            start.report = ProfileReport(appliedVersion: 0, refusedVersion: stored.version, refusal: "\(error)")
            logger.error("profile v\(stored.version) (stored) no longer validates with \(path), starting with the file alone: \(error)")
        }
        return start
    }
}
