import CentralStore
import DeviceIO
import Logging
import NIOPosix
import ServiceLifecycle

/// systemd's watchdog for checkpoint-central (`WatchdogSec=`): `WATCHDOG=1` every half
/// `WATCHDOG_USEC` (`SystemdWatchdog`), only while every thread of the server's event loop group
/// runs a submitted task and the store answers a round trip (its schema version) within that half
/// interval. A hung event loop or a database that stopped answering withholds the pings, and systemd
/// restarts the service. Without `WATCHDOG_USEC` it only waits for the shutdown.
struct CentralWatchdog: Service {
    let notifier: SystemdNotifier
    let store: any CentralStorage
    let logger: Logger

    func run() async throws {
        let probes = [
            WatchdogProbe("event loops") {
                // Hummingbird's default group, which the server runs on.
                for loop in MultiThreadedEventLoopGroup.singleton.makeIterator() { try await loop.submit {}.get() }
            },
            WatchdogProbe("store") { [store] in _ = try await store.schemaVersion() },
        ]
        guard let watchdog = SystemdWatchdog(notifier: notifier, probes: probes, logger: logger) else {
            try? await gracefulShutdown()  // a service that returns early would stop the group
            return
        }
        logger.info("watchdog: WATCHDOG=1 every \(watchdog.period) while the event loops and the store answer")
        await withDiscardingTaskGroup { group in
            group.addTask { await watchdog.run() }
            try? await gracefulShutdown()
            group.cancelAll()
        }
    }
}
