import CheckpointConfig
import CheckpointCore
import Control
import DeviceCatalog
import DeviceFamilies
import DeviceIO
import DeviceRuntime
import Foundation
import GatePipeline
import Logging
import Scanners
import ServiceLifecycle

/// The daemon's scanners as a service: one `ScannerRunner` per configured `[[device]]` whose model
/// is a scanner and which names a `path`, connected to the gate's inbox, and the control command
/// `scanner.configure` (the runner lends its serial line to the conversation) and `scanners.status`. Scans are logged by
/// the runners. `apply` takes a reloaded configuration: only scanners whose `DeviceFingerprint`
/// changed are closed and opened again.
struct ScannerService: Service {
    private let table: Mutex<(runners: [ScannerRunner], prints: [String: DeviceFingerprint])>
    private let inbox: GateInbox
    private let loop: EventLoop
    private let logger: Logger

    init(configuration: DaemonConfiguration, loop: EventLoop, inbox: GateInbox, router: ControlRouter, logger: Logger) {
        self.logger = logger
        self.loop = loop
        self.inbox = inbox
        let prints = Self.fingerprints(configuration.devices)
        let runners = Self.makeRunners(configuration.devices, only: Set(prints.keys), loop: loop, logger: logger)
        inbox.connect(runners)
        table = Mutex((runners, prints))
        let table = table
        ScannerConfigureCommand.register(on: router) { request in
            let runners = table.withLock { $0.runners }
            guard let runner = runners.first(where: { $0.id == request.device || $0.path == request.device }) else {
                throw ScannerRunnerError.notConfigured(request.device, known: runners.map(\.id))
            }
            return try runner.lendConfigurationChannel()
        }
        // `scanners.status`: every attached scanner's port, counters and last scan; `json` is `[ScannerStatus]`.
        router.register(.scannersStatus) { _ in
            let statuses = table.withLock { $0.runners }.map(\.status)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            encoder.dateEncodingStrategy = .iso8601
            let json = (try? encoder.encode(statuses)).map { String(decoding: $0, as: UTF8.self) }
            let text = statuses.map { "\($0.id)\t\($0.path)\t\($0.port)\tscans \($0.scans), duplicates \($0.duplicates), rejected \($0.rejections.values.reduce(0, +))" }
            return .success(statuses.isEmpty ? "no scanners attached" : text.joined(separator: "\n"), json: json)
        }
    }

    var runners: [ScannerRunner] { table.withLock { $0.runners } }

    func run() async throws {
        for runner in runners { start(runner) }
        try? await gracefulShutdown()
        for runner in runners { runner.stop() }
    }

    /// Takes a reloaded configuration (while running): scanners whose section or catalog model
    /// changed, or that are gone, are stopped; changed and new ones are opened. Returns the ids
    /// stopped and started.
    func apply(_ configuration: DaemonConfiguration) -> (stopped: [String], started: [String]) {
        let prints = Self.fingerprints(configuration.devices)
        let (old, oldPrints) = table.withLock { ($0.runners, $0.prints) }
        let leaving = old.filter { prints[$0.id] != oldPrints[$0.id] }
        for runner in leaving { runner.stop() }
        let changed = Set(prints.keys.filter { prints[$0] != oldPrints[$0] })
        let started = Self.makeRunners(configuration.devices, only: changed, loop: loop, logger: logger)
        inbox.connect(started)
        let leavingIDs = Set(leaving.map(\.id))
        table.withLock { $0 = (old.filter { !leavingIDs.contains($0.id) } + started, prints) }
        for runner in started { start(runner) }
        return (leaving.map(\.id), started.map(\.id))
    }

    private func start(_ runner: ScannerRunner) {
        do {
            try runner.start()
            logger.info("attached scanner \(runner.id) at \(runner.path)")
        } catch {
            logger.error("scanner \(runner.id): \(error)")
        }
    }

    /// The configured scanners' fingerprints, by id.
    private static func fingerprints(_ setup: DeviceSetup) -> [String: DeviceFingerprint] {
        DeviceFingerprint.of(setup).filter { id, print in print.model.flatMap { setup.catalog.model($0) }?.role == .scanner }
    }

    private static func makeRunners(_ setup: DeviceSetup, only ids: Set<String>, loop: EventLoop, logger: Logger) -> [ScannerRunner] {
        var runners: [ScannerRunner] = []
        for device in setup.devices where ids.contains(device.id) {
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
        return runners
    }
}
