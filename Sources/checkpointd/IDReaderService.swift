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
/// with the district key of `[policy.idCard] districtKeyFile`) for the gate; a reader that is not
/// ready makes the device unavailable, so the lane reports it. Without a usable district key no
/// reader is started (logged): a card could not be turned into a credential. Control command
/// `idreaders.status` (`checkpointctl idreaders`).
struct IDReaderService: Service {
    let runners: [IDReaderRunner]
    let logger: Logger

    init(configuration: DaemonConfiguration, loop: EventLoop, inbox: GateInbox, router: ControlRouter, logger: Logger) {
        self.logger = logger
        let setup = configuration.devices
        let readers = setup.devices.filter { d in d.model.flatMap { setup.catalog.model($0) }?.role == .idReader }
        var maker: IDCardCredential?
        if !readers.isEmpty {
            do {
                guard let file = configuration.gateSetup.policy.idCard.districtKeyFile ?? configuration.gateSetup.central?.districtKeyFile else {
                    throw DistrictKeyError(description: "neither [policy.idCard] nor [central] names a districtKeyFile")
                }
                maker = try IDCardCredential(districtKey: try SecretsFile.read(file))
            } catch {
                logger.error("ID readers: \(error) — no ID reader is used")
            }
        }
        var runners: [IDReaderRunner] = []
        for device in readers {
            guard let maker, let modelID = device.model, let model = setup.catalog.model(modelID) else { continue }
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
        self.runners = runners
        // `idreaders.status`: every attached reader's state and counters; `json` is `[IDReaderStatus]`.
        let attached = runners
        router.register(.idReadersStatus) { _ in
            let statuses = attached.map(\.status)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let json = (try? encoder.encode(statuses)).map { String(decoding: $0, as: UTF8.self) }
            return .success(statuses.isEmpty ? "no ID readers attached" : statuses.map(\.summary).joined(separator: "\n"), json: json)
        }
    }

    func run() async throws {
        for runner in runners {
            runner.start()
            logger.info("attached ID reader \(runner.id) (\(runner.session.model))")
        }
        try? await gracefulShutdown()
        for runner in runners { runner.stop() }
    }
}
