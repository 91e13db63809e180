import CheckpointCore
import Control
import DeviceIO
import DeviceRuntime
import GatePipeline
import GateService
import Logging
import ServiceLifecycle

/// The gate in the daemon: builds the `GatePipeline` from the configuration, connects the
/// thermometer fleet to its inbox (scanners and ID readers are connected by their services),
/// registers the gate's control commands, reports readiness and runs the pipeline until shutdown.
/// `apply` hands a reloaded configuration to the running pipeline (`GatePipeline.apply`).
///
/// Only a journal that cannot be opened stops deciding: that is logged as critical and answered
/// on the control socket. Everything else degrades inside the pipeline.
struct GateDaemonService: Service {
    let configuration: DaemonConfiguration
    let fleet: ThermometerFleet
    /// Scans (from the scanner service) and readings arrive here.
    let inbox: GateInbox
    /// Watches the lanes' GPIO inputs (exit buttons, door contacts).
    let loop: EventLoop
    let router: ControlRouter
    let logger: Logger
    /// The horn, if the daemon has one.
    let announcer: GateAnnouncer?
    /// Told once the start-up is over (for systemd's READY=1 and watchdog).
    var readiness: DaemonReadiness?
    /// How the uplink applies gate profiles.
    let profiles: ProfileSetup?
    /// The pipeline once built; nil before, and for a gate without lanes or journal.
    private let built = Mutex<GatePipeline?>(nil)

    init(configuration: DaemonConfiguration, fleet: ThermometerFleet, inbox: GateInbox, loop: EventLoop, router: ControlRouter,
         logger: Logger, announcer: GateAnnouncer?, readiness: DaemonReadiness?, profiles: ProfileSetup? = nil) {
        self.profiles = profiles
        self.configuration = configuration
        self.fleet = fleet
        self.inbox = inbox
        self.loop = loop
        self.router = router
        self.logger = logger
        self.announcer = announcer
        self.readiness = readiness
        if !configuration.gateSetup.lanes.isEmpty { GateControlCommands.registerStarting(on: router) }
    }

    /// The pipeline once built (nil before, and for a gate that decides nothing).
    var pipeline: GatePipeline? { built.withLock { $0 } }

    /// Takes a reloaded configuration: lanes, policy and lines change between two decisions. A gate
    /// that started without lanes, or whose journal could not be opened, changes only at a restart.
    /// Returns notes on what does not take effect now.
    func apply(_ next: DaemonConfiguration) async -> [String] {
        var notes: [String] = []
        if next.gate != configuration.gate { notes.append("gate changed: takes effect after a restart") }
        guard let pipeline = built.withLock({ $0 }) else {
            if next.gateSetup.lanes != configuration.gateSetup.lanes || next.gateSetup.policy != configuration.gateSetup.policy {
                notes.append("[[lane]]/[policy] changed, but the gate is not deciding (starting, no lanes at start, or no journal): takes effect after a restart")
            }
            return notes
        }
        return notes + (await pipeline.apply(next.gateSetup, surfaceToBody: next.devices.surfaceToBody))
    }

    func run() async throws {
        let setup = configuration.gateSetup
        guard !setup.lanes.isEmpty else {
            logger.notice("no [[lane]] configured: the gate decides nothing (devices only)")
            readiness?.report(.devicesOnly)
            try? await gracefulShutdown()
            return
        }
        let pipeline: GatePipeline
        do {
            pipeline = try GatePipeline(gate: configuration.gate, setup: setup, surfaceToBody: configuration.devices.surfaceToBody,
                                        feedback: feedback, inbox: inbox, profiles: profiles,
                                        openInput: { [loop] in try InputLineFactory.open($0, consumer: $1, loop: loop) },
                                        remoteOpened: { [announcer] _ in announcer?.remoteOpen() }, logger: logger)
        } catch {
            logger.critical("journal: \(error) — the gate decides nothing until this is fixed")
            GateControlCommands.registerJournalUnavailable(on: router, error: "\(error)")
            readiness?.report(.journalUnavailable("\(error)"))
            try? await gracefulShutdown()
            return
        }
        inbox.connect(fleet, thermometers: Set(setup.lanes.compactMap(\.thermometer)))
        built.withLock { $0 = pipeline }
        GateControlCommands.register(on: router, journal: pipeline.journal, uplink: pipeline.uplink, gate: pipeline.gate)
        readiness?.report(.deciding(GateHealth(lanes: setup.lanes.count, journal: pipeline.journal, gate: pipeline.gate,
                                               registry: pipeline.registry, uplink: pipeline.uplink)))
        await withDiscardingTaskGroup { group in
            group.addTask { await pipeline.run() }
            try? await gracefulShutdown()
            group.cancelAll()
        }
    }

    /// The horn's part of each decision.
    private var feedback: EntryPath.Effects {
        EntryPath.Effects(
            journaled: { [announcer] _, record in announcer?.feedback(record.reason, record.decision) },
            journalFailed: { [announcer, logger] decision, error in
                logger.critical("lane \(decision.lane): not journaled (\(error)); referred to the person on duty")
                announcer?.referral()
            },
            scanRejected: { [announcer] _, _, _ in announcer?.rescan() })
    }
}
