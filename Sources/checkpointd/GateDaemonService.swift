import CheckpointConfig
import CheckpointCore
import Control
import DeviceIO
import DeviceRuntime
import Foundation
import Gate
import GateService
import Journal
import Logging
import ServiceLifecycle
import Thermometers
import Uplink

/// How the gate speaks through the horn: the gate-feedback announcement for a journaled decision
/// (by reason, then decision), a referral when an entry could not be journaled, and the (throttled)
/// request to scan again after a rejected scan.
struct GateAnnouncer: Sendable {
    var feedback: @Sendable (ReasonCode, Decision) -> Void
    var referral: @Sendable () -> Void
    var rescan: @Sendable () -> Void
}

/// The gate's entry path in the daemon: device events → `GateService` (pairing, policy) →
/// `EntryPath` (journal commit, then relay/indicators and the horn) → `Uplink`.
///
/// Degrades instead of stopping: a relay line that cannot be opened leaves that lane without a
/// relay (logged, reported as faulty); a thermometer that stops answering or whose port is lost
/// makes its lane refer (`thermometerMissing`) at once, until it reads again; without `[central]`
/// or a readable secret the gate journals offline. Only a journal that cannot be opened stops
/// deciding (nothing may be acted on that is not journaled): that is logged as critical and
/// answered on the control socket.
struct GateDaemonService: Service {
    let configuration: DaemonConfiguration
    let fleet: ThermometerFleet
    /// Scans (from the scanner service) and readings arrive here.
    let inbox: GateInbox
    let router: ControlRouter
    let logger: Logger
    /// The horn, if the daemon has one.
    let announcer: GateAnnouncer?
    /// Told once the start-up is over (for systemd's READY=1 and watchdog).
    var readiness: DaemonReadiness?

    func run() async throws {
        let setup = configuration.gateSetup
        guard !setup.lanes.isEmpty else {
            logger.notice("no [[lane]] configured: the gate decides nothing (devices only)")
            readiness?.report(.devicesOnly)
            try? await gracefulShutdown()
            return
        }
        let journal: Journal
        do {
            journal = try Journal.open(path: setup.journal.path, gate: configuration.gate,
                                       minimumFreeBytes: UInt64(setup.journal.minimumFreeMB) << 20,
                                       maximumBytes: setup.journal.maximumMB.map { UInt64($0) << 20 })
        } catch {
            logger.critical("journal: \(error) — the gate decides nothing until this is fixed")
            GateControlCommands.registerJournalUnavailable(on: router, error: "\(error)")
            readiness?.report(.journalUnavailable("\(error)"))
            try? await gracefulShutdown()
            return
        }
        let state = try journal.state()
        logger.info("journal \(journal.path): epoch \(journal.epoch), last seq \(state.lastSeq), backlog \(state.backlog)")

        let registry = DeviceStateRegistry(deviceStates(setup.lanes))
        let scannersOfLane = Dictionary(setup.lanes.map { ($0.id, $0.scanners) }, uniquingKeysWith: { a, _ in a })
        let actuators = setup.lanes.map { openLines($0, registry: registry) }
        for a in actuators { a.safeState() }

        let uplinkBox = Mutex<Uplink?>(nil)
        let effects = EntryPath.Effects(
            journaled: { [announcer] _, record in
                announcer?.feedback(record.reason, record.decision)
                uplinkBox.withLock { $0 }?.notify()
            },
            journalFailed: { [announcer, logger] decision, error in
                logger.critical("lane \(decision.lane): not journaled (\(error)); referred to the person on duty")
                announcer?.referral()
            },
            decided: { [inbox, scannersOfLane] decision in
                inbox.resetDuplicateWindows(scannersOfLane[decision.lane] ?? [])
            },
            scanRejected: { [announcer] _, _, _ in announcer?.rescan() })
        let entryPath = EntryPath(committer: GroupCommitter(journal: journal), actuators: actuators, effects: effects, logger: logger)
        let stored = try journal.watchList()
        let gate = GateService(lanes: setup.lanes, policy: Policy(setup.policy), entryPath: entryPath,
                               watchList: WatchListIndex(version: stored.version, entries: stored.entries),
                               surfaceToBody: surfaceConversions(), logger: logger)
        let uplink = makeUplink(journal: journal, registry: registry, gate: gate)
        uplinkBox.withLock { $0 = uplink }
        GateControlCommands.register(on: router, journal: journal, uplink: uplink, gate: gate)
        readiness?.report(.deciding(GateHealth(lanes: setup.lanes.count, journal: journal, gate: gate, registry: registry, uplink: uplink)))

        let thermometerOfLane = Set(setup.lanes.compactMap(\.thermometer))
        fleet.onEvent { [inbox] id, event in
            guard thermometerOfLane.contains(id) else { return }
            switch event {
            case .reading(let reading, _):
                if registry.all.first(where: { $0.id == id })?.status != .ok {
                    registry.set(id, status: .ok)
                    inbox.availability(device: id, true)
                }
                inbox.reading(device: id, reading)
            case .timedOut(_, let willRetry) where !willRetry:
                registry.set(id, status: .missing, detail: "no answer")
                inbox.availability(device: id, false)
            case .silent(let ms):
                registry.set(id, status: .missing, detail: "silent for \(ms) ms")
                inbox.availability(device: id, false)
            case .disconnected:
                // Unplugged (hangup, EIO, node removed): missing at once, back at its next reading.
                registry.set(id, status: .missing, detail: "port lost")
                inbox.availability(device: id, false)
            case .rejected(let rejection):
                registry.countRejection(id, reason: rejection.reason.rawValue)
            default:
                break
            }
        }

        let centralText = setup.central.map { "central \($0.url)" } ?? "no central store (offline)"
        logger.info("gate \(configuration.gate): \(setup.lanes.count) lane(s), policy \(PolicyVersion.of(setup.policy)), \(centralText)")
        await withDiscardingTaskGroup { group in
            group.addTask {
                // One consumer keeps the devices' events in order.
                // accept: decisions are journaled without waiting, so a burst shares a transaction.
                for await event in inbox.events {
                    switch event {
                    case .deviceAvailability(let id, let available, _) where !thermometerOfLane.contains(id):
                        registry.set(id, status: available ? .ok : .missing, detail: available ? nil : "port closed")
                    case .scanRejected(let id, let reason, _, _):
                        registry.countRejection(id, reason: reason)
                    default:
                        break
                    }
                    await gate.accept(event)
                }
            }
            if let uplink { group.addTask { await uplink.run() } }
            group.addTask { await prune(journal, retentionDays: setup.journal.retentionDays) }
            group.addTask {
                try? await gracefulShutdown()
                inbox.finish()
                await gate.stop()
                for a in actuators { a.safeState() }
            }
            // The consumer ends when the stream finishes; uplink and pruning end by cancellation.
            try? await gracefulShutdown()
            group.cancelAll()
        }
        logger.info("gate stopped: lines inactive")
    }

    /// The surface → body conversions declared by the catalog models of the configured devices,
    /// by `[[device]]` id.
    private func surfaceConversions() -> [String: SurfaceToBody] {
        let devices = configuration.devices
        var out: [String: SurfaceToBody] = [:]
        for device in devices.devices {
            if let model = device.model, let conversion = devices.catalog.model(model)?.temperature?.bodyConversion {
                out[device.id] = conversion
            }
        }
        return out
    }

    /// Every device a lane uses, with its role, for heartbeats.
    private func deviceStates(_ lanes: [LaneConfiguration]) -> [DeviceState] {
        var out: [DeviceState] = []
        for lane in lanes {
            out += lane.scanners.map { DeviceState(id: $0, role: .scanner, status: .missing, detail: "not opened yet") }
            out += lane.idReaders.map { DeviceState(id: $0, role: .idReader, status: .missing, detail: "not ready yet") }
            if let t = lane.thermometer { out.append(DeviceState(id: t, role: .thermometer, status: .missing, detail: "no reading yet")) }
        }
        return out
    }

    private func openLines(_ lane: LaneConfiguration, registry: DeviceStateRegistry) -> LaneActuator {
        func open(_ spec: OutputLineSpec?, _ role: DeviceState.Role, _ what: String) -> (any OutputLine)? {
            guard let spec else { return nil }
            let id = "\(lane.id).\(what)"
            do {
                let line = try OutputLineFactory.open(spec, consumer: "checkpoint-\(lane.id)-\(what)")
                registry.update(DeviceState(id: id, role: role, status: .ok, detail: line.name))
                return line
            } catch {
                logger.error("lane \(lane.id): \(what) line \(spec.source): \(error) — lane runs without it")
                registry.update(DeviceState(id: id, role: role, status: .faulty, detail: "\(error)"))
                return nil
            }
        }
        return LaneActuator(lane: lane.id, relay: open(lane.relay, .relay, "relay"),
                            green: open(lane.greenIndicator, .indicator, "green"), red: open(lane.redIndicator, .indicator, "red"),
                            pulse: .milliseconds(lane.relayPulseMs), indicatorTime: .milliseconds(lane.indicatorMs), logger: logger)
    }

    private func makeUplink(journal: Journal, registry: DeviceStateRegistry, gate: GateService) -> Uplink? {
        guard let central = configuration.gateSetup.central else { return nil }
        do {
            let client = try CentralClient(baseURL: central.url, gate: configuration.gate, secret: try SecretsFile.read(central.secretsFile, gate: configuration.gate),
                                           caFile: central.caFile, requestTimeout: .seconds(central.requestTimeoutSeconds))
            var settings = Uplink.Settings()
            settings.batchSize = central.batchSize
            settings.heartbeatInterval = .seconds(central.heartbeatSeconds)
            settings.watchListInterval = .seconds(central.watchListSeconds)
            settings.backoff = Backoff(initial: .milliseconds(central.backoffInitialMs), maximum: .milliseconds(central.backoffMaxMs))
            return Uplink(journal: journal, client: client, settings: settings, devices: { registry.all },
                          onWatchList: { version, entries in
                              Task { await gate.updateWatchList(WatchListIndex(version: version, entries: entries)) }
                          }, logger: logger)
        } catch {
            logger.error("uplink: \(error) — the gate journals offline until this is fixed and checkpointd restarts")
            return nil
        }
    }

    /// Deletes acknowledged entries older than the retention period, once an hour.
    private func prune(_ journal: Journal, retentionDays: Int) async {
        while !Task.isCancelled {
            do {
                let n = try journal.prune(journaledBefore: Date().addingTimeInterval(-Double(retentionDays) * 86_400))
                if n > 0 { logger.info("journal: pruned \(n) acknowledged entries older than \(retentionDays) days") }
            } catch {
                logger.error("journal: pruning failed: \(error)")
            }
            try? await Task.sleep(for: .seconds(3_600))
        }
    }
}
