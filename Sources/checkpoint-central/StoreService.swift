import CentralStore
import ServiceLifecycle

/// Keeps the store open while the server runs and closes it after graceful shutdown. Listed
/// before the HTTP application in the service group, so it is shut down after it: in-flight
/// batches finish against an open store.
struct StoreService: Service {
    let store: any CentralStorage

    func run() async throws {
        try? await gracefulShutdown()
        await store.close()
    }
}
