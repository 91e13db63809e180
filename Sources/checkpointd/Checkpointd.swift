import ArgumentParser
import CheckpointConfig
import Control
import DeviceIO
import Foundation
import GatePipeline
import Logging
import ServiceLifecycle

/// The gate daemon. Thin wiring: load the configuration, build each module's service, serve the
/// control socket, reload on SIGHUP (`ConfigReloader`), run until SIGTERM/SIGINT. Modules add their
/// service to `services`.
@main
struct Checkpointd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpointd",
        abstract: "The checkpoint gate daemon: reads the gate's devices, decides, journals and actuates each entry, and forwards it to the central store.")

    @Option(name: .long, help: "The configuration file (docs/configuration.md).")
    var config: String = "/etc/checkpoint/checkpoint.toml"

    @Option(name: .long, help: "The control socket checkpointctl talks to.")
    var controlSocket: String = ControlProtocol.defaultSocketPath

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    @Flag(name: .long, help: "Validate the configuration and the catalog, print the result and exit.")
    var check = false

    func run() async throws {
        // SIGHUP means reload (ReloadSignalService); until that service listens, one must not kill the daemon.
        signal(SIGHUP, SIG_IGN)
        guard let level = Logger.Level(rawValue: logLevel) else { throw ValidationError("unknown log level \(logLevel)") }
        let journald = JournaldStream.isStandardError()
        LoggingSystem.bootstrap { label in
            if journald {
                var handler = JournaldLogHandler(label: label)
                handler.logLevel = level
                return handler
            }
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "checkpointd")
        var configuration: DaemonConfiguration
        do { configuration = try DaemonConfiguration.load(path: config) } catch {
            FileHandle.standardError.write(Data("checkpointd: \(error)\n".utf8))
            throw ExitCode(78)  // EX_CONFIG
        }
        let profiles = StartingProfile.load(&configuration, path: config, logger: logger)
        let setup = configuration.devices
        for error in setup.catalog.errors { logger.error("catalog: \(error)") }
        if check {
            print("\(config): ok (gate \(configuration.gate), \(setup.devices.count) device(s), catalog \(setup.catalogDirectory): \(setup.catalog.models.count) model(s), \(setup.catalog.errors.count) error(s))")
            if !setup.catalog.errors.isEmpty { throw ExitCode(78) }
            return
        }
        logger.info("gate \(configuration.gate): catalog \(setup.catalogDirectory) (\(setup.catalog.models.count) models)")

        let loop = try EventLoop(name: "checkpointd-io")
        defer { loop.stop() }
        let router = ControlRouter()
        let thermometers = ThermometerService(configuration: configuration, loop: loop, router: router, logger: logger)
        let gateInbox = GateInbox()
        let scanners = ScannerService(configuration: configuration, loop: loop, inbox: gateInbox, router: router, logger: logger)
        let idReaders = IDReaderService(configuration: configuration, loop: loop, inbox: gateInbox, router: router, logger: logger)
        let horn = HornDaemonService.open(configuration.horn, router: router, logger: logger)
        let readiness = DaemonReadiness()
        let notifier = SystemdNotifier()
        let gate = GateDaemonService(configuration: configuration, fleet: thermometers.fleet, inbox: gateInbox, loop: loop, router: router,
                                     logger: logger, announcer: horn?.announcer, readiness: readiness,
                                     profiles: ProfileSetup(applier: profiles.link, initial: profiles.report))
        let reloader = ConfigReloader(path: config, thermometers: thermometers, scanners: scanners, idReaders: idReaders, gate: gate,
                                      horn: horn, metrics: configuration.metrics, notifier: notifier, logger: logger,
                                      profile: profiles.applied, clipDirectory: profiles.clipDirectory)
        profiles.link.connect(reloader)
        reloader.register(on: router)
        var services: [any Service] = [thermometers, scanners, idReaders, gate] + (horn.map { [$0] } ?? [])
        if let listen = configuration.metrics {
            let metrics = GateMetrics(fleet: thermometers.fleet, scanners: scanners, gate: gate, horn: horn?.horn)
            metrics.bootstrap()
            services.append(MetricsService(configuration: listen, metrics: metrics, logger: logger))
        }
        services += [ReloadSignalService(reloader: reloader), SystemdService(notifier: notifier, readiness: readiness, loop: loop, logger: logger)]
        let control = ControlServer(path: controlSocket, router: router, loop: loop)
        try control.start()
        defer { control.stop() }
        logger.info("control socket at \(controlSocket): \(router.commands.joined(separator: ", "))")
        let group = ServiceGroup(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        try await group.run()
        logger.info("stopped")
    }
}
