import CheckpointConfig
import CheckpointCore
import DeviceCatalog
import DeviceFamilies
import DeviceIO
import Foundation
import Logging
import Thermometers

/// The daemon's thermometers: the configured ones (`[[device]]` by path, selector or model alone,
/// whose model is a thermometer) and, with `discover`, every discovered tty the catalog matches to exactly one
/// thermometer model. Each runs as a `ThermometerRunner` on the one event loop. Hotplug "add"
/// events attach devices that appear later and make existing ports retry at once. `apply` takes a
/// reloaded configuration: only the thermometers whose section, model or calibration changed are
/// closed and opened again.
///
/// Concurrency: the runner table and the configuration are guarded by `Mutex`es.
public final class ThermometerFleet: Sendable {
    public typealias EventHandler = @Sendable (String, ThermometerEvent) -> Void

    private let configuration: Mutex<(catalog: Catalog, devices: [DeviceConfiguration], calibration: CalibrationTable, discover: Bool)>
    public var catalog: Catalog { configuration.withLock { $0.catalog } }
    public var devices: [DeviceConfiguration] { configuration.withLock { $0.devices } }
    public var calibration: CalibrationTable { configuration.withLock { $0.calibration } }
    public var discover: Bool { configuration.withLock { $0.discover } }
    public let loop: EventLoop
    private let logger: Logger
    private let reopenPolicy: SerialPort.ReopenPolicy
    private let state = Mutex<State>(State())

    private struct Attached {
        var runner: ThermometerRunner
        var model: String
        var identity: String
        /// The devnode it was discovered at (to skip it in discovery), if known.
        var devnode: String?
    }

    private struct State {
        var attached: [String: Attached] = [:]
        var order: [String] = []
        var handlers: [EventHandler] = []
    }

    public init(catalog: Catalog, devices: [DeviceConfiguration], calibration: CalibrationTable, discover: Bool,
                loop: EventLoop, reopenPolicy: SerialPort.ReopenPolicy = .standard,
                logger: Logger = Logger(label: "checkpoint.thermometers")) {
        self.configuration = Mutex((catalog, devices, calibration, discover))
        self.loop = loop
        self.reopenPolicy = reopenPolicy
        self.logger = logger
    }

    /// Adds a handler for every reading and rejection (with the device id), on the loop thread.
    public func onEvent(_ handler: @escaping EventHandler) {
        state.withLock { $0.handlers.append(handler) }
    }

    /// The configured devices whose model is a thermometer (or, for a selector without a model,
    /// may turn out to be one).
    private var thermometerDevices: [DeviceConfiguration] {
        devices.filter { d in d.model.map { catalog.model($0)?.role == .thermometer } ?? true }
    }

    /// Attaches the configured devices and, with `discover`, the matching ones of `discovered`.
    public func start(discovered: [DeviceDescription]) {
        for device in thermometerDevices { attachConfigured(device, discovered: discovered) }
        if discover { for d in discovered { attachDiscovered(d) } }
    }

    /// Takes a reloaded configuration: a thermometer whose `[[device]]` section, catalog model file
    /// and calibration offset are unchanged keeps its runner and open port; the others (and those no
    /// longer configured, or discovered ones when `discover` is now off or their model changed) are
    /// stopped, then the configured devices and, with `discover`, the matching ones of `discovered`
    /// are attached as at start. Returns the ids stopped and the ids attached.
    @discardableResult
    public func apply(catalog: Catalog, devices: [DeviceConfiguration], calibration: CalibrationTable, discover: Bool,
                      discovered: [DeviceDescription]) -> (stopped: [String], attached: [String]) {
        let old = configuration.withLock { c in
            defer { c = (catalog, devices, calibration, discover) }
            return c
        }
        let oldPrints = Dictionary(old.devices.map { ($0.id, DeviceFingerprint($0, catalog: old.catalog)) }, uniquingKeysWith: { a, _ in a })
        let newPrints = Dictionary(devices.map { ($0.id, DeviceFingerprint($0, catalog: catalog)) }, uniquingKeysWith: { a, _ in a })
        let before = state.withLock { s in s.order.compactMap { id in s.attached[id].map { (id, $0) } } }
        var stopped: [String] = []
        for (id, a) in before {
            let sameOffset = old.calibration.offset(deviceID: id, identity: a.identity) == calibration.offset(deviceID: id, identity: a.identity)
            let keep: Bool
            if let was = oldPrints[id] {
                keep = sameOffset && newPrints[id] == was
            } else {
                let sameModel = old.catalog.model(a.model)?.document.text == catalog.model(a.model)?.document.text
                keep = sameOffset && discover && sameModel && newPrints[id] == nil
            }
            if keep { continue }
            a.runner.stop()
            state.withLock { s in
                s.attached[id] = nil
                s.order.removeAll { $0 == id }
            }
            logger.info("thermometer \(id): stopped (its configuration changed or it is no longer configured)")
            stopped.append(id)
        }
        let kept = Set(before.map(\.0)).subtracting(stopped)
        start(discovered: discovered)
        return (stopped, runners.map(\.id).filter { !kept.contains($0) })
    }

    /// A hotplug "add": attach what now matches, and let every port whose device it may be retry.
    public func deviceAdded(_ description: DeviceDescription) {
        for device in thermometerDevices where attached(device.id) == nil {
            switch device.location {
            case .match(let selector) where selector.matches(description):
                attachConfigured(device, discovered: [description])
            case .catalogMatch where DeviceCandidates.model(of: device, for: description, role: .thermometer, catalog: catalog) != nil:
                attachConfigured(device, discovered: [description])
            default:
                break
            }
        }
        if discover { attachDiscovered(description) }
        for runner in runners where !runner.port.state.isOpen { runner.port.reopenNow() }
    }

    /// The running thermometers, in attach order.
    public var runners: [ThermometerRunner] {
        state.withLock { s in s.order.compactMap { s.attached[$0]?.runner } }
    }

    /// The runner with id `name`, or whose path is `name` (also through a symlink).
    public func runner(named name: String) -> ThermometerRunner? {
        if let a = attached(name) { return a.runner }
        let resolved = Self.resolve(name)
        return runners.first { $0.port.path == name || Self.resolve($0.port.path) == resolved }
    }

    public var statuses: [ThermometerStatus] {
        let all = state.withLock { s in s.order.compactMap { s.attached[$0] } }
        return all.map { a in
            let session = a.runner.session
            return ThermometerStatus(id: a.runner.id, model: a.model, path: a.runner.port.path, identity: a.identity,
                                     port: a.runner.port.state.description, lastReading: session.lastReading,
                                     statistics: session.statistics)
        }
    }

    /// Takes one reading: from the attached runner if there is one (waiting for its next poll),
    /// otherwise by opening `device` (a path) with `model` for one reading.
    public func probe(device: String, model modelID: String?, timeout: Duration) async throws -> ThermometerProbeResult {
        if let runner = runner(named: device) {
            let model = state.withLock { $0.attached[runner.id]?.model } ?? runner.session.model
            if let modelID, modelID != model {
                throw ThermometerProbeError("\(device) is attached as \(model), not \(modelID)")
            }
            guard let reading = await runner.nextReading(timeout: timeout) else {
                throw ThermometerProbeError("no reading from \(runner.id) within \(timeout) (\(runner.session.statistics.summary); port \(runner.port.state))")
            }
            return ThermometerProbeResult(device: runner.id, model: model, path: runner.port.path, reading: reading)
        }
        guard device.hasPrefix("/") else { throw ThermometerProbeError("no attached device \"\(device)\" (ids: \(runners.map(\.id).joined(separator: ", ")))") }
        guard let modelID else { throw ThermometerProbeError("\(device) is not attached: name its model (--model)") }
        guard let model = catalog.model(modelID) else { throw ThermometerProbeError("no model \"\(modelID)\" in the catalog") }
        return try await ThermometerProbe.probe(path: device, model: model, unitOffset: calibration.offset(deviceID: nil, identity: device),
                                                timeout: timeout, loop: loop, logger: logger)
    }

    /// Stops every runner.
    public func stop() {
        for r in runners { r.stop() }
    }

    // MARK: Attaching

    private func attached(_ id: String) -> Attached? { state.withLock { $0.attached[id] } }

    private func attachConfigured(_ device: DeviceConfiguration, discovered: [DeviceDescription]) {
        guard attached(device.id) == nil else { return }
        switch device.location {
        case .path(let path):
            guard let modelID = device.model, let model = catalog.model(modelID) else { return }
            let resolved = Self.resolve(path)
            let description = discovered.first { $0.devnode == resolved || $0.links.contains(path) }
            attach(id: device.id, path: path, model: model, identity: description?.identity ?? path, devnode: description?.devnode)
        case .match(let selector):
            let candidates = discovered.filter { $0.subsystem == "tty" && selector.matches($0) }
            guard !candidates.isEmpty else {
                logger.notice("device \(device.id): nothing plugged in matches its selector yet; waiting for hotplug")
                return
            }
            if candidates.count > 1 {
                logger.error("device \(device.id): its selector matches \(candidates.count) devices (\(candidates.map(\.devnode).joined(separator: ", "))); add serial or port to tell them apart")
                return
            }
            let d = candidates[0]
            let model: CatalogModel
            if let id = device.model, let m = catalog.model(id) {
                model = m
            } else {
                switch catalog.match(d, role: .thermometer) {
                case .matched(let m, _): model = m
                case .ambiguous(let ms, _):
                    logger.error("device \(device.id) at \(d.devnode) matches several models (\(ms.map(\.model).joined(separator: ", "))): name its model")
                    return
                case .none:
                    logger.error("device \(device.id) at \(d.devnode) matches no thermometer model: name its model")
                    return
                }
            }
            attach(id: device.id, path: Self.stablePath(d), model: model, identity: d.identity, devnode: d.devnode)
        case .catalogMatch:
            let candidates = DeviceCandidates.of(device, role: .thermometer, catalog: catalog, in: discovered)
            guard candidates.count == 1 else {
                if candidates.isEmpty {
                    logger.notice("device \(device.id): nothing plugged in matches its model's [match] yet; waiting for hotplug")
                } else {
                    logger.error("device \(device.id): its model's [match] fits \(candidates.count) devices (\(candidates.map(\.description.devnode).joined(separator: ", "))); use a selector with serial or port")
                }
                return
            }
            let (d, model) = candidates[0]
            attach(id: device.id, path: Self.stablePath(d), model: model, identity: d.identity, devnode: d.devnode)
        }
    }

    private func attachDiscovered(_ d: DeviceDescription) {
        guard d.subsystem == "tty" else { return }
        let taken = state.withLock { s in s.attached.values.contains { $0.devnode == d.devnode } }
        if taken { return }
        // A device picked out by a configured selector or model is not auto-attached under another id.
        let picked = devices.contains { device in
            switch device.location {
            case .path: return false
            case .match(let s): return s.matches(d)
            case .catalogMatch: return DeviceCandidates.model(of: device, for: d, role: .thermometer, catalog: catalog) != nil
            }
        }
        if picked { return }
        switch catalog.match(d, role: .thermometer) {
        case .matched(let model, _):
            let name = "auto-" + (d.devnode as NSString).lastPathComponent
            attach(id: name, path: Self.stablePath(d), model: model, identity: d.identity, devnode: d.devnode)
        case .ambiguous(let models, _):
            logger.warning("discovered \(d.devnode) (\(d.identity)) matches several models (\(models.map(\.model).joined(separator: ", "))): not used; name it in a [[device]] section")
        case .none:
            break
        }
    }

    private func attach(id: String, path: String, model: CatalogModel, identity: String, devnode: String?) {
        guard let settings = model.transport.serialSettings else {
            logger.error("device \(id): model \(model.model) is not a serial device")
            return
        }
        do {
            let session = try ThermometerSession(model: model, device: identity,
                                                 unitOffset: calibration.offset(deviceID: id, identity: identity))
            let runner = try ThermometerRunner(id: id, path: path, settings: settings, session: session, loop: loop,
                                               reopenPolicy: reopenPolicy, logger: logger)
            runner.onEvent { [self] event in
                for h in state.withLock({ $0.handlers }) { h(id, event) }
            }
            state.withLock { s in
                s.attached[id] = Attached(runner: runner, model: model.model, identity: identity, devnode: devnode)
                s.order.append(id)
            }
            logger.info("attached thermometer \(id): \(model.model) at \(path) (identity \(identity), unit offset \(session.unitOffset) °C)")
            runner.start()
        } catch {
            logger.error("device \(id): cannot attach \(model.model) at \(path): \(error)")
        }
    }

    /// The stable path to open: a by-path link when the device has no serial (CH340 class, told
    /// apart by port), a by-id link when it has one, else the devnode.
    static func stablePath(_ d: DeviceDescription) -> String {
        let byID = d.links.first { $0.contains("/by-id/") }
        let byPath = d.links.first { $0.contains("/by-path/") }
        if let s = d.serial, !s.isEmpty, let byID { return byID }
        return byPath ?? byID ?? d.devnode
    }

    static func resolve(_ path: String) -> String {
        URL(fileURLWithPath: path).resolvingSymlinksInPath().path
    }
}
