import CheckpointConfig
import CheckpointCore
import Control
import DeviceIO
import Foundation
import Logging
import Uplink

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
///
/// The gate profile in force (docs/fleet.md) is laid over the file at every reload; a new profile
/// (`applyProfile`, from the uplink) is validated with the file and applied the same way, or
/// refused whole with the running configuration and profile staying.
actor ConfigReloader: ProfileApplier {
    private let path: String
    /// The profile in force (nil: the file alone).
    private var profile: GateProfile?
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
    private let clipDirectory: String

    init(path: String, thermometers: ThermometerService, scanners: ScannerService, idReaders: IDReaderService,
         gate: GateDaemonService, horn: HornDaemonService?, metrics: MetricsConfiguration?, notifier: SystemdNotifier, logger: Logger,
         profile: GateProfile?, clipDirectory: String) {
        self.path = path
        self.profile = profile
        self.clipDirectory = clipDirectory
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
        await serialized { await self.performWithCurrentProfile() }
    }

    private func performWithCurrentProfile() async -> Result<String, ConfigError> { await perform(profile: profile) }

    /// Validates the file with `next` laid over it and applies it like a reload; nil when applied,
    /// else the refusal (file:line:key), the running configuration and profile staying.
    func applyProfile(_ next: GateProfile, clipDirectory: String) async -> String? {
        switch await serialized({ await self.perform(profile: next) }) {
        case .success: return nil
        case .failure(let error): return "\(error)"
        }
    }

    private func serialized(_ body: @escaping @Sendable () async -> Result<String, ConfigError>) async -> Result<String, ConfigError> {
        let previous = last
        let task = Task {
            _ = await previous?.value
            return await body()
        }
        last = task
        return await task.value
    }

    private func perform(profile candidate: GateProfile?) async -> Result<String, ConfigError> {
        notifier.reloading()
        defer { notifier.ready() }
        let with = candidate.map { " with profile v\($0.version)" } ?? ""
        logger.notice("reloading \(path)\(with)")
        let next: DaemonConfiguration
        do { next = try DaemonConfiguration.load(path: path, profile: candidate, clipDirectory: clipDirectory) } catch {
            logger.error("reload refused, the running configuration stays: \(error)")
            return .failure(error)
        }
        profile = candidate
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
        var lines = ["configuration reloaded from \(path)\(with)"]
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
