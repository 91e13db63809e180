import CheckpointCore
import Control
import DeviceCatalog
import DeviceIO
import DeviceRuntime
import Foundation
import Logging
import ServiceLifecycle

/// The daemon's thermometers as a service: discovery at start, hotplug, the fleet of runners, and
/// the control commands `devices.list`, `devices.probe` and `thermometers.status`. `apply` takes a
/// reloaded configuration (`ThermometerFleet.apply`: unchanged thermometers keep their ports).
struct ThermometerService: Service {
    let fleet: ThermometerFleet
    let loop: EventLoop
    let logger: Logger

    init(configuration: DaemonConfiguration, loop: EventLoop, router: ControlRouter, logger: Logger) {
        self.loop = loop
        self.logger = logger
        let setup = configuration.devices
        fleet = ThermometerFleet(catalog: setup.catalog, devices: setup.devices, calibration: setup.calibration,
                                 discover: setup.discover, loop: loop, logger: logger)
        let fleet = fleet
        DevicesListCommand.register(on: router, match: { device in
            let match = fleet.catalog.match(device)
            if case .none = match { return nil }
            return match.summary
        })
        ThermometerControlCommands.register(on: router, fleet: fleet)
    }

    func run() async throws {
        fleet.start(discovered: discovered())
        var monitor: DeviceMonitor?
        do {
            monitor = try DeviceMonitor(loop: loop, subsystems: ["tty"], logger: logger) { [fleet] event in
                if case .added(let d) = event { fleet.deviceAdded(d) }
            }
        } catch {
            logger.warning("no hotplug monitor (\(error)); ports still reopen by themselves")
        }
        try? await gracefulShutdown()
        monitor?.stop()
        fleet.stop()
    }

    /// Takes a reloaded configuration (while running); returns the ids stopped and attached.
    func apply(_ configuration: DaemonConfiguration) -> (stopped: [String], attached: [String]) {
        let setup = configuration.devices
        return fleet.apply(catalog: setup.catalog, devices: setup.devices, calibration: setup.calibration, discover: setup.discover,
                           discovered: discovered())
    }

    private func discovered() -> [DeviceDescription] {
        do { return try DeviceDiscovery.enumerate(subsystems: ["tty"]) } catch {
            logger.warning("device discovery failed: \(error); using configured paths only")
            return []
        }
    }
}
