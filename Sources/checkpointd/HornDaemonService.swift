import Control
import Horn
import Logging
import ServiceLifecycle

/// The horn in the daemon, when the configuration has a `[horn]` section: the `HornService`
/// (queue, schedules, amplifier line, ALSA), its control commands, and the gate's feedback —
/// one announcement per journaled decision (by reason, then decision), a referral when an entry
/// could not be journaled. A reload changes announcements, schedules and volume in place.
struct HornDaemonService: Service {
    let horn: HornService

    /// Opens the horn, or logs why not and returns nil (the gate then decides silently). Without
    /// a horn, `horn.queue` still answers: `{"configured": false}` when there is no `[horn]`
    /// section (nothing is wrong), a failure naming the error when the horn could not be opened.
    static func open(_ configuration: HornConfiguration?, router: ControlRouter, logger: Logger) -> HornDaemonService? {
        guard let configuration else {
            router.register(.hornQueue) { _ in .success("no [horn] configured", json: #"{"configured":false}"#) }
            return nil
        }
        do {
            let horn = try HornService.open(configuration: configuration, logger: logger)
            HornControlHandlers.register(horn, on: router)
            return HornDaemonService(horn: horn)
        } catch {
            logger.error("horn: \(error) — the gate runs without announcements")
            router.register(.hornQueue) { _ in .failure("the horn could not be opened: \(error)") }
            return nil
        }
    }

    var announcer: GateAnnouncer {
        GateAnnouncer(feedback: { [horn] reason, decision in _ = horn.announce(reason: reason, decision: decision) },
                      referral: { [horn] in _ = try? horn.play("refer") },
                      rescan: { [horn] in horn.announceRescan() },
                      remoteOpen: { [horn] in _ = try? horn.play("remoteOpen") })
    }

    /// Takes a reloaded `[horn]` section (`HornService.apply`); a removed section changes nothing
    /// until a restart. Returns notes on what does not take effect now.
    func apply(_ next: HornConfiguration?) -> [String] {
        guard let next else { return ["[horn] removed: the horn stays until a restart"] }
        return horn.apply(next)
    }

    func run() async throws {
        // The horn's own loop may sleep up to a minute between checks; shutdown does not wait for
        // it: the lines are driven inactive here, and the loop is cancelled.
        let loop = Task { [horn] in await horn.run() }
        try? await gracefulShutdown()
        loop.cancel()
        horn.shutDown()
    }
}
