import DeviceIO
import ServiceLifecycle

/// Tells systemd `STOPPING=1` as soon as graceful shutdown begins. Listed last in the service
/// group, so it is the first to hear of the shutdown (services stop in reverse order).
struct ShutdownNotice: Service {
    let notifier: SystemdNotifier

    func run() async throws {
        try? await gracefulShutdown()
        notifier.stopping()
    }
}
