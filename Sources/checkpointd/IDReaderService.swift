import CheckpointConfig
import CheckpointCore
import Control
import CredentialDigest
import DeviceFamilies
import Foundation
import DeviceIO
import DeviceRuntime
import GatePipeline
import IDCards
import Logging
import ServiceLifecycle
import Uplink

/// The daemon's ID card readers: one `IDReaderRunner` per configured `[[device]]` whose model is
/// an ID reader and which names a `path`. A card read becomes an `idCard` credential (keyed hash
/// with the district key of `[policy.idCard] districtKeyFile`, else `[central] districtKeyFile`) for the gate; a reader that is not
/// ready makes the device unavailable, so the lane reports it. Without a usable district key no
/// reader is started (logged): a card could not be turned into a credential. Control command
/// `idreaders.status` (`checkpointctl idreaders`). `apply` takes a reloaded configuration: only
/// readers whose `DeviceFingerprint` changed are reopened (all of them when the district key did).
struct IDReaderService: Service {
    private let table: Mutex<(runners: [IDReaderRunner], prints: [String: DeviceFingerprint], key: String?)>
    private let inbox: GateInbox
    private let loop: EventLoop
    private let logger: Logger

    init(configuration: DaemonConfiguration, loop: EventLoop, inbox: GateInbox, router: ControlRouter, logger: Logger) {
        self.logger = logger
        self.loop = loop
        self.inbox = inbox
        let prints = Self.fingerprints(configuration.devices)
        let key = Self.districtKey(configuration, needed: !prints.isEmpty, logger: logger)
        let runners = Self.makeRunners(configuration, only: Set(prints.keys), key: key, loop: loop, inbox: inbox, logger: logger)
        table = Mutex((runners, prints, key))
        // `idreaders.status`: every attached reader's state and counters; `json` is `[IDReaderStatus]`.
        let table = table
        router.register(.idReadersStatus) { _ in
            let statuses = table.withLock { $0.runners }.map(\.status)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let json = (try? encoder.encode(statuses)).map { String(decoding: $0, as: UTF8.self) }
            return .success(statuses.isEmpty ? "no ID readers attached" : statuses.map(\.summary).joined(separator: "\n"), json: json)
        }
    }

    func run() async throws {
        let runners = table.withLock { $0.runners }
        for runner in runners { start(runner) }
        try? await gracefulShutdown()
        for runner in table.withLock({ $0.runners }) { runner.stop() }
    }

    /// Takes a reloaded configuration (while running): readers whose section or model changed, or
    /// that are gone, are stopped, and changed and new ones opened; when the district key (its file
    /// or its content) changed, every reader is. Returns the ids stopped and started.
    func apply(_ configuration: DaemonConfiguration) -> (stopped: [String], started: [String]) {
        let prints = Self.fingerprints(configuration.devices)
        let key = Self.districtKey(configuration, needed: !prints.isEmpty, logger: logger)
        let (old, oldPrints, oldKey) = table.withLock { ($0.runners, $0.prints, $0.key) }
        let changed = Set(prints.keys.filter { key != oldKey || prints[$0] != oldPrints[$0] })
        let leaving = old.filter { key != oldKey || prints[$0.id] != oldPrints[$0.id] }
        for runner in leaving { runner.stop() }
        let started = Self.makeRunners(configuration, only: changed, key: key, loop: loop, inbox: inbox, logger: logger)
        let leavingIDs = Set(leaving.map(\.id))
        table.withLock { $0 = (old.filter { !leavingIDs.contains($0.id) } + started, prints, key) }
        for runner in started { start(runner) }
        return (leaving.map(\.id), started.map(\.id))
    }

    private func start(_ runner: IDReaderRunner) {
        runner.start()
        logger.info("attached ID reader \(runner.id) (\(runner.session.model))")
    }

    /// The configured ID readers' fingerprints, by id.
    private static func fingerprints(_ setup: DeviceSetup) -> [String: DeviceFingerprint] {
        DeviceFingerprint.of(setup).filter { _, print in print.model.flatMap { setup.catalog.model($0) }?.role == .idReader }
    }

    /// The district key, when readers are configured and it can be read; nil (logged) otherwise.
    private static func districtKey(_ configuration: DaemonConfiguration, needed: Bool, logger: Logger) -> String? {
        guard needed else { return nil }
        do {
            guard let file = configuration.gateSetup.policy.idCard.districtKeyFile ?? configuration.gateSetup.central?.districtKeyFile else {
                throw DistrictKeyError(description: "neither [policy.idCard] nor [central] names a districtKeyFile")
            }
            let key = try SecretsFile.read(file)
            _ = try IDCardCredential(districtKey: key)
            return key
        } catch {
            logger.error("ID readers: \(error) — no ID reader is used")
            return nil
        }
    }

    private static func makeRunners(_ configuration: DaemonConfiguration, only ids: Set<String>, key: String?, loop: EventLoop,
                                    inbox: GateInbox, logger: Logger) -> [IDReaderRunner] {
        let setup = configuration.devices
        guard let key, let maker = try? IDCardCredential(districtKey: key) else { return [] }
        var runners: [IDReaderRunner] = []
        for device in setup.devices where ids.contains(device.id) {
            guard let modelID = device.model, let model = setup.catalog.model(modelID), model.role == .idReader else { continue }
            guard case .path(let path) = device.location, let settings = model.transport.serialSettings else {
                logger.warning("ID reader \(device.id): only a configured serial path is supported")
                continue
            }
            do {
                let runner = try IDReaderRunner(id: device.id, path: path, settings: settings,
                                                session: try IDReaderFamily.session(for: model, device: device.id), loop: loop, logger: logger)
                let id = device.id
                runner.onEvent { event in
                    switch event {
                    case .card(let card): inbox.card(device: id, maker.credential(for: card))
                    case .readerState(let state): inbox.availability(device: id, state.isWorking)
                    default: break
                    }
                }
                runners.append(runner)
            } catch {
                logger.error("ID reader \(device.id): \(error)")
            }
        }
        return runners
    }
}
