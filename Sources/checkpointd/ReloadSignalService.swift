import ServiceLifecycle
import UnixSignals

/// SIGHUP (`systemctl reload checkpointd`, `ExecReload=`) makes the `ConfigReloader` reload; until
/// the graceful shutdown.
struct ReloadSignalService: Service {
    let reloader: ConfigReloader

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        for await _ in signals.cancelOnGracefulShutdown() {
            _ = await reloader.reload()
        }
    }
}
