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

/// The daemon's scanners as a service: the `ScannerFleet` of the configured scanners (by path, by
/// selector, or by model through the catalog's `[match]`), each new runner connected to the gate's
/// inbox; discovery at start and a hotplug monitor (`input`, `hidraw`, `tty`) while a scanner is
/// found by discovery; the control commands `scanner.configure` (the runner lends its serial line
/// to the conversation) and `scanners.status`. Scans are logged by the runners. `apply` takes a
/// reloaded configuration: only scanners whose `DeviceFingerprint` changed are closed and opened again.
struct ScannerService: Service {
    let fleet: ScannerFleet
    private let logger: Logger
    private let loop: EventLoop

    init(configuration: DaemonConfiguration, loop: EventLoop, inbox: GateInbox, router: ControlRouter, logger: Logger) {
        self.logger = logger
        self.loop = loop
        let fleet = ScannerFleet(setup: configuration.devices, loop: loop, logger: logger)
        fleet.onAttach { runner in inbox.connect([runner]) }
        self.fleet = fleet
        ScannerConfigureCommand.register(on: router) { request in
            let runners = fleet.runners
            guard let runner = runners.first(where: { $0.id == request.device || $0.path == request.device }) else {
                throw ScannerRunnerError.notConfigured(request.device, known: runners.map(\.id))
            }
            return try runner.lendConfigurationChannel()
        }
        // `scanners.status`: every configured scanner's port (or `missing`), counters and last scan; `json` is `[ScannerStatus]`.
        router.register(.scannersStatus) { _ in
            let statuses = fleet.statuses
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            encoder.dateEncodingStrategy = .iso8601
            let json = (try? encoder.encode(statuses)).map { String(decoding: $0, as: UTF8.self) }
            let text = statuses.map { s in
                let plugs = s.attaches + s.detaches > 0 ? ", attached \(s.attaches), detached \(s.detaches)" : ""
                return "\(s.id)\t\(s.path.isEmpty ? "-" : s.path)\t\(s.port)\tscans \(s.scans), duplicates \(s.duplicates), rejected \(s.rejections.values.reduce(0, +))\(plugs)"
            }
            return .success(statuses.isEmpty ? "no scanners configured" : text.joined(separator: "\n"), json: json)
        }
    }

    var runners: [ScannerRunner] { fleet.runners }

    func run() async throws {
        let monitor = startMonitor()
        fleet.start(discovered: discovered())
        try? await gracefulShutdown()
        monitor?.stop()
        fleet.stop()
    }

    /// Takes a reloaded configuration (while running): scanners whose section or catalog model
    /// changed, or that are gone, are stopped; changed and new ones are opened. Returns the ids
    /// stopped and started.
    func apply(_ configuration: DaemonConfiguration) -> (stopped: [String], started: [String]) {
        fleet.apply(configuration.devices, discovered: discovered())
    }

    /// The hotplug monitor, when a scanner is found by discovery (opened before discovery runs, so
    /// that no device plugged in between is missed).
    private func startMonitor() -> DeviceMonitor? {
        guard fleet.needsDiscovery else { return nil }
        do {
            return try DeviceMonitor(loop: loop, subsystems: SysfsDeviceInfo.subsystems, logger: logger) { [fleet] event in
                switch event {
                case .added(let d): fleet.deviceAdded(d)
                case .removed(let d): fleet.deviceRemoved(d)
                }
            }
        } catch {
            logger.warning("no hotplug monitor for scanners (\(error)): scanners found by discovery attach only at start and on reload")
            return nil
        }
    }

    private func discovered() -> [DeviceDescription] {
        guard fleet.needsDiscovery else { return [] }
        do { return try DeviceDiscovery.enumerate() } catch {
            logger.warning("device discovery failed: \(error); scanners found by discovery are missing")
            return []
        }
    }
}
