import CheckpointConfig
import CheckpointCore
import CredentialDigest
import DeviceIO
import Foundation
import Gate
import GateService
import Journal
import Logging
import Uplink

/// The gate's entry path, built in one place from the parsed configuration (docs/gate.md):
/// devices → `inbox` → `DeviceStateTracker` (the devices' states) → `gate` (lanes: pairing,
/// policy) → `EntryPath` (journal commit, then the lanes' `actuators` and the caller's feedback)
/// → `uplink`, which pulls from the journal and is only told that it advanced (`JournalFollower`).
///
/// Built bottom-up without a cycle: journal, lines, uplink (its watch lists go through a
/// `WatchListFeed`, applied to the gate in order), entry path, gate. The daemon, the stream harness
/// and the tests all build it here. `apply(_:surfaceToBody:)` takes a reloaded configuration: lanes,
/// policy and lines change in place; the journal and the uplink stay as built.
///
/// Degrades instead of failing: a line that cannot be opened leaves its lane without it (logged,
/// reported as faulty); without `[central]` or a readable secret the gate journals offline. Only
/// a journal that cannot be opened stops the build (nothing may be acted on that is not journaled).
/// The lanes' inputs (exit buttons, door contacts) are watched from the build on and released when
/// `run` ends.
public final class GatePipeline: Sendable {
    public let gateID: String
    public let journal: Journal
    public let inbox: GateInbox
    public let tracker: DeviceStateTracker
    public let gate: GateService
    private let entryPath: EntryPath
    private let current: Mutex<(setup: GateSetup, actuators: [LaneActuator])>
    private let scannersOfLane: Mutex<[String: [String]]>
    private let openLine: LineOpener
    private let inputs: [LaneInputs]
    /// nil for an offline gate.
    public let uplink: Uplink?
    /// The long-poll for remote commands; nil for an offline gate.
    private let commandPoller: CommandPoller?
    private let watchLists: WatchListFeed
    private let logger: Logger

    /// Opens an output line a lane's configuration describes; `consumer` is the label `gpioinfo` shows.
    public typealias LineOpener = @Sendable (_ spec: OutputLineSpec, _ consumer: String) throws -> any OutputLine
    /// Opens an input line (exit button, door contact) a lane's configuration describes.
    public typealias InputOpener = @Sendable (_ spec: InputLineSpec, _ consumer: String) throws -> any InputLine

    /// Builds the pipeline and drives every line to its safe level. Throws only when the journal
    /// cannot be opened or read.
    /// - Parameters:
    ///   - surfaceToBody: the catalog's surface → body conversions by `[[device]]` id (`DeviceSetup.surfaceToBody`).
    ///   - feedback: what happens around each decision besides the journal and the lines (the horn).
    ///   - inbox: where the devices report (the daemon connects its device services before the build).
    ///   - openLine: opens the lanes' lines (tests pass recording fakes).
    ///   - profiles: keeps the gate profile current through the uplink (nil: profiles are not applied).
    ///   - openInput: opens the lanes' exit buttons and door contacts (the daemon watches GPIO lines
    ///     on its event loop; without one only simulated inputs open).
    ///   - remoteOpened: after a remote open was journaled (the horn's `remoteOpen` announcement).
    public init(gate gateID: String, setup: GateSetup, surfaceToBody: [String: SurfaceToBody] = [:],
                feedback: EntryPath.Effects = EntryPath.Effects(), inbox: GateInbox = GateInbox(),
                openLine: @escaping LineOpener = { try OutputLineFactory.open($0, consumer: $1) },
                profiles: ProfileSetup? = nil,
                openInput: @escaping InputOpener = { try InputLineFactory.open($0, consumer: $1, loop: nil) },
                remoteOpened: @escaping @Sendable (_ lane: String) -> Void = { _ in },
                logger: Logger = Logger(label: "checkpoint.gate")) throws {
        self.gateID = gateID
        self.logger = logger
        self.openLine = openLine
        let journal = try Journal.open(path: setup.journal.path, gate: gateID,
                                       minimumFreeBytes: UInt64(setup.journal.minimumFreeMB) << 20,
                                       maximumBytes: setup.journal.maximumMB.map { UInt64($0) << 20 })
        let state = try journal.state()
        logger.info("journal \(journal.path): epoch \(journal.epoch), last seq \(state.lastSeq), backlog \(state.backlog)")
        self.journal = journal
        self.inbox = inbox
        let tracker = DeviceStateTracker(lanes: setup.lanes.map {
            DeviceStateTracker.LaneDevices(scanners: $0.scanners, idReaders: $0.idReaders, thermometer: $0.thermometer)
        })
        self.tracker = tracker
        let actuators = setup.lanes.map { Self.openLines($0, registry: tracker.registry, openLine: openLine, logger: logger) }
        for a in actuators { a.safeState() }
        self.current = Mutex((setup, actuators))
        let watchLists = WatchListFeed()
        self.watchLists = watchLists
        let digester = Self.districtDigester(setup.central, logger: logger)
        let profileSync = profiles.map {
            ProfileSync(journal: journal, clipDirectory: ProfileSync.clipDirectory(forJournal: journal.path), applier: $0.applier,
                        initial: $0.initial, logger: logger)
        }
        // The poller needs the gate service, built after the uplink: the heartbeat reaches it through this.
        let poller = Mutex<CommandPoller?>(nil)
        let uplink = Self.makeUplink(gate: gateID, central: setup.central, journal: journal, registry: tracker.registry,
                                     watchLists: watchLists, matchesKeyedWatchList: digester != nil, profiles: profileSync,
                                     commands: { reply, at in await poller.withLock { $0 }?.handle(reply, receivedAt: at) },
                                     logger: logger)
        self.uplink = uplink

        let scannersOfLane = Mutex(Self.scanners(of: setup.lanes))
        self.scannersOfLane = scannersOfLane
        let inputsOfLane = Mutex([String: LaneInputs]())
        var effects = feedback
        effects.decided = { [inbox] decision in
            inbox.resetDuplicateWindows(scannersOfLane.withLock { $0[decision.lane] } ?? [])
            feedback.decided(decision)
        }
        effects.journaled = { decision, record in
            if record.decision == .admit { inputsOfLane.withLock { $0[record.lane] }?.released(at: MonotonicClock.now()) }
            feedback.journaled(decision, record)
        }
        let entryPath = EntryPath(committer: GroupCommitter(journal: journal), actuators: actuators, effects: effects,
                                  follower: uplink, logger: logger)
        self.entryPath = entryPath
        let stored = try journal.watchList()
        var policy = Policy(setup.policy)
        if let digester { policy = policy.matchingWatchList(by: digester.digest) }
        let gate = GateService(lanes: setup.lanes, policy: policy, entryPath: entryPath,
                               watchList: WatchListIndex(version: stored.version, entries: stored.entries),
                               surfaceToBody: surfaceToBody, logger: logger)
        self.gate = gate
        let inputs = setup.lanes.compactMap {
            Self.openInputs($0, gate: gate, entryPath: entryPath, policyVersion: PolicyVersion.of(setup.policy), openInput: openInput, logger: logger)
        }
        inputsOfLane.withLock { $0 = Dictionary(inputs.map { ($0.lane, $0) }, uniquingKeysWith: { a, _ in a }) }
        self.inputs = inputs
        for lane in inputs {
            do {
                try lane.start()
            } catch {
                logger.error("lane \(lane.lane): inputs: \(error) — the lane runs without them")
                lane.close()
            }
        }
        let commandPoller = Self.makeCommandPoller(gate: gateID, central: setup.central, journal: journal, service: gate,
                                                   remoteOpened: remoteOpened, logger: logger)
        poller.withLock { $0 = commandPoller }
        self.commandPoller = commandPoller
        let centralText = setup.central.map { "central \($0.url)" } ?? "no central store (offline)"
        logger.info("gate \(gateID): \(setup.lanes.count) lane(s), policy \(PolicyVersion.of(setup.policy)), \(centralText)")
    }

    public var registry: DeviceStateRegistry { tracker.registry }

    /// The configuration in force: the one built with, with the lanes and the policy of the last
    /// `apply`.
    public var setup: GateSetup { current.withLock { $0.setup } }

    /// The lanes' lines, in lane order.
    public var actuators: [LaneActuator] { current.withLock { $0.actuators } }

    /// Takes a reloaded configuration without stopping: the lanes and the policy (`GateService.apply`,
    /// between two decisions), the devices the gate listens to, and the lanes' lines — a line whose
    /// specification did not change stays open; a changed or removed one is driven inactive and
    /// released, a new one opened. `[journal]` and `[central]` stay as built: returns a note for each
    /// of them that changed (they take effect at the next start).
    @discardableResult
    public func apply(_ next: GateSetup, surfaceToBody: [String: SurfaceToBody] = [:]) async -> [String] {
        let (previous, oldActuators) = current.withLock { ($0.setup, $0.actuators) }
        var notes: [String] = []
        if next.journal != previous.journal { notes.append("[journal] changed: takes effect after a restart") }
        if next.central != previous.central { notes.append("[central] changed: takes effect after a restart") }
        func buttons(_ lanes: [LaneConfiguration]) -> [String: InputLineSpec] {
            Dictionary(lanes.compactMap { l in l.exitButton.map { (l.id, $0) } }, uniquingKeysWith: { a, _ in a })
        }
        func doors(_ lanes: [LaneConfiguration]) -> [String: DoorContactConfiguration] {
            Dictionary(lanes.compactMap { l in l.doorContact.map { (l.id, $0) } }, uniquingKeysWith: { a, _ in a })
        }
        if buttons(next.lanes) != buttons(previous.lanes) || doors(next.lanes) != doors(previous.lanes) {
            notes.append("a lane's exitButton/doorContact changed: takes effect after a restart")
        }
        let oldLanes = Dictionary(previous.lanes.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let oldByLane = Dictionary(oldActuators.map { ($0.lane, $0) }, uniquingKeysWith: { a, _ in a })
        var kept: Set<ObjectIdentifier> = []
        var actuators: [LaneActuator] = []
        for lane in next.lanes {
            let old = oldLanes[lane.id].flatMap { l in oldByLane[lane.id].map { (l, $0) } }
            let actuator = reuseLines(lane, old: old)
            for line in [actuator.relay, actuator.green, actuator.red].compactMap({ $0 }) { kept.insert(ObjectIdentifier(line)) }
            actuators.append(actuator)
        }
        for line in oldActuators.flatMap({ [$0.relay, $0.green, $0.red].compactMap { $0 } }) where !kept.contains(ObjectIdentifier(line)) {
            try? line.drive(.inactive)
        }
        let lineIDs = Set(next.lanes.flatMap { lane in
            [(lane.relay, "relay"), (lane.greenIndicator, "green"), (lane.redIndicator, "red")].compactMap { $0.0 == nil ? nil : "\(lane.id).\($0.1)" }
        })
        registry.remove { [.relay, .indicator].contains($0.role) && !lineIDs.contains($0.id) }
        tracker.apply(lanes: next.lanes.map {
            DeviceStateTracker.LaneDevices(scanners: $0.scanners, idReaders: $0.idReaders, thermometer: $0.thermometer)
        })
        inbox.thermometers = Set(next.lanes.compactMap(\.thermometer))
        scannersOfLane.withLock { $0 = Self.scanners(of: next.lanes) }
        entryPath.replaceActuators(actuators)
        await gate.apply(lanes: next.lanes, policy: next.policy, surfaceToBody: surfaceToBody)
        var applied = next
        applied.journal = previous.journal
        applied.central = previous.central
        current.withLock { $0 = (applied, actuators) }
        logger.info("gate \(gateID): reloaded: \(next.lanes.count) lane(s), policy \(PolicyVersion.of(next.policy))")
        return notes
    }

    /// The lane's actuator for a reloaded `lane`: the old one if nothing about its lines changed,
    /// else a new one that keeps each line whose specification is the same and opens the others.
    private func reuseLines(_ lane: LaneConfiguration, old: (lane: LaneConfiguration, actuator: LaneActuator)?) -> LaneActuator {
        guard let old else { return Self.openLines(lane, registry: registry, openLine: openLine, logger: logger) }
        if old.lane.relay == lane.relay, old.lane.greenIndicator == lane.greenIndicator, old.lane.redIndicator == lane.redIndicator,
           old.lane.relayPulseMs == lane.relayPulseMs, old.lane.indicatorMs == lane.indicatorMs {
            return old.actuator
        }
        let reused: [String: any OutputLine] = [
            "relay": old.lane.relay == lane.relay ? old.actuator.relay : nil,
            "green": old.lane.greenIndicator == lane.greenIndicator ? old.actuator.green : nil,
            "red": old.lane.redIndicator == lane.redIndicator ? old.actuator.red : nil,
        ].compactMapValues { $0 }
        for (what, line) in [("relay", old.actuator.relay), ("green", old.actuator.green), ("red", old.actuator.red)] where reused[what] == nil {
            try? line?.drive(.inactive)
        }
        return Self.openLines(lane, registry: registry, openLine: openLine, reusing: reused, logger: logger)
    }

    private static func scanners(of lanes: [LaneConfiguration]) -> [String: [String]] {
        Dictionary(lanes.map { ($0.id, $0.scanners) }, uniquingKeysWith: { a, _ in a })
    }

    /// Runs until the task is cancelled: one consumer takes the inbox's reports in order (their
    /// decisions are journaled without waiting, so a burst shares a transaction), the watch lists
    /// are applied in order, the uplink forwards and the journal is pruned. On the way out the
    /// gate's timer stops, the uplink's client is closed and every line is driven to its safe level.
    public func run() async {
        await withDiscardingTaskGroup { group in
            group.addTask { [inbox, tracker, gate] in
                for await report in inbox.reports {
                    for event in tracker.route(report) { await gate.accept(event) }
                }
            }
            group.addTask { [watchLists, gate] in await watchLists.apply(to: gate) }
            if let uplink { group.addTask { await uplink.run() } }
            if let commandPoller { group.addTask { await commandPoller.run() } }
            group.addTask { [self] in await prune() }
        }
        inbox.finish()
        watchLists.finish()
        await uplink?.close()
        await gate.stop()
        for lane in inputs { lane.close() }
        for a in actuators { a.safeState() }
        logger.info("gate stopped: lines inactive")
    }

    /// Opens the lane's lines; one in `reusing` (by `relay`, `green`, `red`) is taken as it is.
    private static func openLines(_ lane: LaneConfiguration, registry: DeviceStateRegistry, openLine: LineOpener,
                                  reusing: [String: any OutputLine] = [:], logger: Logger) -> LaneActuator {
        func open(_ spec: OutputLineSpec?, _ role: DeviceState.Role, _ what: String) -> (any OutputLine)? {
            guard let spec else { return nil }
            let id = "\(lane.id).\(what)"
            if let line = reusing[what] { return line }
            do {
                let line = try openLine(spec, "checkpoint-\(lane.id)-\(what)")
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

    /// Opens the lane's exit button and door contact (nil for a lane with neither). A press journals a
    /// `manualOpen` recorded by `exitButton:<lane>` (the relay pulses after the commit); a door
    /// alert journals a door event (`doorForced`, `doorHeldOpen`) that reaches the store as an
    /// alert; a door closing after being held open is logged. A line that cannot be opened leaves
    /// the lane without it (logged).
    private static func openInputs(_ lane: LaneConfiguration, gate: GateService, entryPath: EntryPath, policyVersion: String,
                                   openInput: InputOpener, logger: Logger) -> LaneInputs? {
        func open(_ spec: InputLineSpec?, _ what: String) -> (any InputLine)? {
            guard let spec else { return nil }
            do {
                return try openInput(spec, "checkpoint-\(lane.id)-\(what)")
            } catch {
                logger.error("lane \(lane.id): \(what) line \(spec.source): \(error) — lane runs without it")
                return nil
            }
        }
        let button = open(lane.exitButton, "exitButton")
        let door = open(lane.doorContact?.line, "doorContact")
        guard button != nil || door != nil else { return nil }
        let id = lane.id
        let direction = lane.direction
        return LaneInputs(lane: id, button: button, buttonDebounceMs: lane.exitButton?.debounceMs ?? 0, door: door,
                          doorContact: lane.doorContact,
                          pressed: {
                              logger.notice("lane \(id): exit button pressed")
                              Task {
                                  do {
                                      _ = try await gate.manual(lane: id, decision: .admit, open: true, shown: nil, reading: nil,
                                                                recordedBy: "exitButton:\(id)")
                                  } catch {
                                      logger.error("lane \(id): exit button: not opened: \(error)")
                                  }
                              }
                          },
                          doorAlert: { alert in
                              let reason: ReasonCode
                              switch alert {
                              case .forced: reason = .doorForced
                              case .heldOpen: reason = .doorHeldOpen
                              case .closedAfterHeldOpen:
                                  logger.notice("lane \(id): door closed again after being held open")
                                  return
                              }
                              entryPath.recordDoorEvent(EntryContent(lane: id, direction: direction, credential: nil, temperature: nil,
                                                                     decision: .refer, reason: reason, policyVersion: policyVersion,
                                                                     recordedBy: "doorContact:\(id)"))
                          })
    }

    /// The district digest of `[central] districtKeyFile`; nil without one, or when it cannot be
    /// used (logged: a keyed watch list will then be refused and reported, not half applied).
    private static func districtDigester(_ central: CentralConfiguration?, logger: Logger) -> CredentialDigester? {
        guard let path = central?.districtKeyFile else { return nil }
        do {
            return try CredentialDigester(keyFile: path)
        } catch {
            logger.critical("\(error) — a keyed watch list cannot be matched and will not be applied")
            return nil
        }
    }

    private static func makeUplink(gate: String, central: CentralConfiguration?, journal: Journal, registry: DeviceStateRegistry,
                                   watchLists: WatchListFeed, matchesKeyedWatchList: Bool, profiles: ProfileSync?,
                                   commands: @escaping @Sendable (RemoteCommandsResponse, Duration) async -> Void,
                                   logger: Logger) -> Uplink? {
        guard let central else { return nil }
        do {
            let client = try CentralClient(baseURL: central.url, gate: gate, secret: try SecretsFile.read(central.secretsFile, gate: gate),
                                           caFile: central.caFile, requestTimeout: .seconds(central.requestTimeoutSeconds))
            var settings = Uplink.Settings()
            settings.batchSize = central.batchSize
            settings.heartbeatInterval = .seconds(central.heartbeatSeconds)
            settings.watchListInterval = .seconds(central.watchListSeconds)
            settings.backoff = Backoff(initial: .milliseconds(central.backoffInitialMs), maximum: .milliseconds(central.backoffMaxMs))
            settings.matchesKeyedWatchList = matchesKeyedWatchList
            return Uplink(journal: journal, client: client, settings: settings, devices: { registry.all },
                          onWatchList: { version, entries in watchLists.deliver(version: version, entries: entries) },
                          profiles: profiles, commands: commands, logger: logger)
        } catch {
            logger.error("uplink: \(error) — the gate journals offline until this is fixed and checkpointd restarts")
            return nil
        }
    }

    /// The long-poll for remote commands (docs/gate.md "Remote open"), on its own client; the
    /// heartbeat's commands go through it too (`CommandPoller.handle`). A command
    /// is executed only before its expiry by the store's clock (the reply's `serverTime` plus the
    /// time since on the monotonic clock) and at most once: the journal claims its id first, so a
    /// resend or a restart never opens twice. Executing = `manualOpen` recorded by the staff
    /// account (journal, then the relay), then `remoteOpened`.
    private static func makeCommandPoller(gate: String, central: CentralConfiguration?, journal: Journal, service: GateService,
                                          remoteOpened: @escaping @Sendable (String) -> Void, logger: Logger) -> CommandPoller? {
        guard let central else { return nil }
        do {
            let timeout = Duration.seconds(max(central.requestTimeoutSeconds, Int(CommandPoller.maxWait.components.seconds) + 5))
            let client = try CentralClient(baseURL: central.url, gate: gate, secret: try SecretsFile.read(central.secretsFile, gate: gate),
                                           caFile: central.caFile, requestTimeout: timeout)
            let backoff = Backoff(initial: .milliseconds(central.backoffInitialMs), maximum: .milliseconds(central.backoffMaxMs))
            return CommandPoller(client: client, backoff: backoff, execute: { command, serverTime, receivedAt in
                let id = command.id.uuidString.lowercased()
                let elapsed = MonotonicClock.now() - receivedAt
                let storeNow = serverTime.addingTimeInterval(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
                guard storeNow < command.expiresAt else {
                    logger.warning("remote open \(id) of lane \(command.lane) by \(command.requestedBy): expired, not executed")
                    return RemoteCommandAcknowledgement(outcome: .expired)
                }
                do {
                    guard try journal.claimRemoteCommand(command.id) else {
                        return RemoteCommandAcknowledgement(outcome: .refused, detail: "claimed before: never executed twice")
                    }
                    _ = try await service.manual(lane: command.lane, decision: .admit, open: true, shown: nil, reading: nil,
                                                 recordedBy: command.requestedBy)
                } catch {
                    logger.error("remote open \(id) of lane \(command.lane): not executed: \(error)")
                    return RemoteCommandAcknowledgement(outcome: .refused, detail: "\(error)")
                }
                logger.notice("remote open \(id): lane \(command.lane) opened for \(command.requestedBy)")
                remoteOpened(command.lane)
                return RemoteCommandAcknowledgement(outcome: .executed)
            }, logger: logger)
        } catch {
            logger.error("remote commands: \(error) — the gate cannot be opened from the store")
            return nil
        }
    }

    /// Deletes acknowledged entries older than the retention period, once an hour.
    private func prune() async {
        let days = setup.journal.retentionDays
        while !Task.isCancelled {
            do {
                let n = try journal.prune(journaledBefore: Date().addingTimeInterval(-Double(days) * 86_400))
                if n > 0 { logger.info("journal: pruned \(n) acknowledged entries older than \(days) days") }
            } catch {
                logger.error("journal: pruning failed: \(error)")
            }
            try? await Task.sleep(for: .seconds(3_600))
        }
    }
}
