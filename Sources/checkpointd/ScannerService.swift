import CheckpointConfig
import CheckpointCore
import Control
import DeviceCatalog
import DeviceFamilies
import DeviceIO
import DeviceRuntime
import Logging
import Scanners
import ServiceLifecycle

/// The daemon's scanners as a service: one `ScannerRunner` per configured `[[device]]` whose model
/// is a scanner and which names a `path`, and the control command `scanner.configure` (the runner
/// lends its serial line to the conversation). Scans are logged by the runners; the gate pipeline
/// takes them from `runners` when it is built.
struct ScannerService: Service {
    let runners: [ScannerRunner]
    let logger: Logger

    init(configuration: DaemonConfiguration, loop: EventLoop, router: ControlRouter, logger: Logger) {
        self.logger = logger
        let setup = configuration.devices
        var runners: [ScannerRunner] = []
        for device in setup.devices {
            guard let modelID = device.model, let model = setup.catalog.model(modelID), model.role == .scanner else { continue }
            guard case .path(let path) = device.location else {
                logger.warning("scanner \(device.id): only a configured path is supported for scanners yet (not a match selector)")
                continue
            }
            do {
                let profile = try ScannerFamilies.profile(for: model)
                runners.append(try ScannerRunner(id: device.id, profile: profile, path: path, serialSettings: model.transport.serialSettings,
                                                 loop: loop, logger: logger))
            } catch {
                logger.error("scanner \(device.id): \(error)")
            }
        }
        self.runners = runners
        let byName = runners
        ScannerConfigureCommand.register(on: router) { request in
            guard let runner = byName.first(where: { $0.id == request.device || $0.path == request.device }) else {
                throw ScannerRunnerError.notConfigured(request.device, known: byName.map(\.id))
            }
            return try runner.lendConfigurationChannel()
        }
    }

    func run() async throws {
        for runner in runners {
            do {
                try runner.start()
                logger.info("attached scanner \(runner.id) at \(runner.path)")
            } catch {
                logger.error("scanner \(runner.id): \(error)")
            }
        }
        try? await gracefulShutdown()
        for runner in runners { runner.stop() }
    }
}
