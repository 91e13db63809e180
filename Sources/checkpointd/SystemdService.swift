import DeviceIO
import Foundation
import Logging
import ServiceLifecycle

/// checkpointd under systemd (`Type=notify`, `WatchdogSec=`): `READY=1` once the gate reports its
/// start-up over (journal open, lanes built; the control socket listens before any service runs),
/// a `STATUS=` line whenever it changes (checked every `statusInterval`), `WATCHDOG=1` while the
/// event loop and the gate's decision path answer (`SystemdWatchdog`), `STOPPING=1` as soon as a
/// graceful shutdown begins. Outside systemd every notification is a no-op. Listed last in the
/// service group, so it is the first to hear of the shutdown.
struct SystemdService: Service {
    let notifier: SystemdNotifier
    let readiness: DaemonReadiness
    let loop: EventLoop
    let logger: Logger
    var statusInterval: Duration = .seconds(5)

    func run() async throws {
        await withDiscardingTaskGroup { group in
            group.addTask {
                guard let report = await readiness.wait() else { return }
                await serve(report)
            }
            try? await gracefulShutdown()
            notifier.stopping()
            group.cancelAll()
        }
    }

    private func serve(_ report: GateReadiness) async {
        var probes = [WatchdogProbe.eventLoop(loop)]
        let status: @Sendable () async -> String
        switch report {
        case .deciding(let health):
            probes += health.probes
            status = { await health.statusLine() }
        case .devicesOnly:
            status = { "devices only: no [[lane]] configured, nothing is decided" }
        case .journalUnavailable(let error):
            // No ping: systemd restarts the daemon after WatchdogSec, which retries the journal.
            probes.append(WatchdogProbe("journal") { throw JournalUnavailable(description: error) })
            status = { "CRITICAL: journal unavailable, nothing is decided: \(error)" }
        }
        // Without WatchdogSec= the probes still run (for the log and the status line), unpinged.
        let watchdog = SystemdWatchdog(notifier: notifier, probes: probes, logger: logger)
            ?? SystemdWatchdog(notifier: SystemdNotifier(environment: [:]), period: statusInterval, probes: probes, logger: logger)
        await watchdog.round()
        let initial = await status()
        notifier.ready(status: initial)
        logger.info("ready: \(initial)", metadata: ["watchdog": "\(notifier.watchdogInterval == nil ? "off" : "\(watchdog.period)")"])
        await withDiscardingTaskGroup { group in
            group.addTask { await watchdog.run() }
            group.addTask {
                var shown = initial
                while true {
                    do { try await Task.sleep(for: statusInterval) } catch { return }
                    var text = await status()
                    if let withheld = watchdog.withheld { text = "NOT ANSWERING (\(withheld)); " + text }
                    if text != shown {
                        notifier.status(text)
                        shown = text
                    }
                }
            }
        }
    }

    private struct JournalUnavailable: Error, CustomStringConvertible { let description: String }
}
