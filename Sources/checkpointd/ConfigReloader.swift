import CheckpointConfig
import Control
import DeviceIO
import Foundation
import Logging

/// Reads the configuration file and the catalog again while checkpointd runs (SIGHUP,
/// `checkpointctl config reload`, `systemctl reload`), one reload at a time.
///
/// A file with errors is refused — logged and answered with its file:line:key error — and the
/// running configuration stays. A good one is handed to each part: devices first (only those whose
/// section, catalog model or calibration changed are closed and opened; see `DeviceFingerprint`),
/// then the gate (lanes, policy and lines, between two decisions), then the horn (announcements,
/// schedules, volume). What only a restart can change (`[journal]`, `[central]`, `[metrics]`, `gate`,
/// the horn's device and lines, …) is named in the answer and the log. systemd hears `RELOADING=1` (with
/// `MONOTONIC_USEC=`) before and `READY=1` after, whatever the outcome.
actor ConfigReloader {
    private let path: String
    private let thermometers: ThermometerService
    private let scanners: ScannerService
    private let idReaders: IDReaderService
    private let gate: GateDaemonService
    private let horn: HornDaemonService?
    private let notifier: SystemdNotifier
    private let logger: Logger
    /// `[metrics]` as started: the endpoint is not moved by a reload.
    private let metrics: MetricsConfiguration?
    private var last: Task<Result<String, ConfigError>, Never>?

    init(path: String, thermometers: ThermometerService, scanners: ScannerService, idReaders: IDReaderService,
         gate: GateDaemonService, horn: HornDaemonService?, metrics: MetricsConfiguration?, notifier: SystemdNotifier, logger: Logger) {
        self.path = path
        self.metrics = metrics
        self.thermometers = thermometers
        self.scanners = scanners
        self.idReaders = idReaders
        self.gate = gate
        self.horn = horn
        self.notifier = notifier
        self.logger = logger
    }

    /// Registers `config.reload` (an acting command): answers what changed, or the refusal
    /// (beginning with `ControlProtocol.reloadRefusedPrefix`).
    nonisolated func register(on router: ControlRouter) {
        router.register(.configReload) { [self] _ in
            switch await reload() {
            case .success(let summary): return .success(summary)
            case .failure(let error): return .failure("\(ControlProtocol.reloadRefusedPrefix), the running configuration stays: \(error)")
            }
        }
    }

    /// Reloads after any reload already under way; returns a summary of what changed, or the
    /// error that refused the file.
    func reload() async -> Result<String, ConfigError> {
        let previous = last
        let task = Task { [self] in
            _ = await previous?.value
            return await perform()
        }
        last = task
        return await task.value
    }

    private func perform() async -> Result<String, ConfigError> {
        notifier.reloading()
        defer { notifier.ready() }
        logger.notice("reloading \(path)")
        let next: DaemonConfiguration
        do { next = try DaemonConfiguration.load(path: path) } catch {
            logger.error("reload refused, the running configuration stays: \(error)")
            return .failure(error)
        }
        for error in next.devices.catalog.errors { logger.error("catalog: \(error)") }
        let t = thermometers.apply(next)
        let s = scanners.apply(next)
        let r = idReaders.apply(next)
        var notes = await gate.apply(next)
        if let horn {
            notes += horn.apply(next.horn)
        } else if next.horn != nil {
            notes.append("[horn] added: the horn starts after a restart")
        }
        if next.metrics != metrics { notes.append("[metrics] changed: takes effect after a restart") }
        var lines = ["configuration reloaded from \(path)"]
        func devices(_ what: String, _ closed: [String], _ opened: [String]) {
            guard !closed.isEmpty || !opened.isEmpty else { return }
            lines.append("\(what): closed [\(closed.joined(separator: ", "))], opened [\(opened.joined(separator: ", "))]")
        }
        devices("thermometers", t.stopped, t.attached)
        devices("scanners", s.stopped, s.started)
        devices("ID readers", r.stopped, r.started)
        lines += notes
        for line in lines { logger.notice("\(line)") }
        return .success(lines.joined(separator: "\n"))
    }
}
