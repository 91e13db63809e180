import CheckpointConfig
import CheckpointCore
import DeviceCatalog
import DeviceFamilies
import DeviceIO
import Foundation
import Logging
import Scanners

/// The daemon's scanners: one `ScannerRunner` per configured `[[device]]` whose named model is a
/// scanner.
/// A scanner named by `path` is opened at start (a serial port then reopens by itself). A scanner
/// picked out by a selector (`match = { … }`) or by its model alone (the catalog's `[match]`, see
/// `DeviceCandidates`) is attached to the one discovered node it fits — at start, or when a
/// hotplug "add" brings it — and detached on the hotplug "remove" of that node: the runner reports
/// `.closed`, the detach is counted and logged, and `statuses` shows the scanner `missing` until a
/// fitting node appears again, under whatever name (`event5` → `event7`). A replug continues the
/// scanner's counters. Several fitting nodes attach none (logged): the configuration must tell
/// them apart.
///
/// Every new runner is handed to the attach handlers before it starts (to connect it to the gate).
/// `apply` takes a reloaded configuration: scanners whose `DeviceFingerprint` is unchanged keep
/// their runner.
///
/// Concurrency: the configuration and the table are guarded by one `Mutex`; runners are started
/// and stopped outside it.
public final class ScannerFleet: Sendable {
    public typealias AttachHandler = @Sendable (ScannerRunner) -> Void

    private struct Entry {
        var device: DeviceConfiguration
        var print: DeviceFingerprint
        var runner: ScannerRunner?
        /// The discovered node the runner reads (nil for a scanner named by path).
        var devnode: String?
        var attaches = 0
        var detaches = 0
        /// Counters and last scan of runners detached earlier.
        var counters = ScanCounters()
        var lastScanAt: Date?

        var byPath: Bool { if case .path = device.location { return true } else { return false } }
    }

    private struct State {
        var catalog: Catalog
        var entries: [String: Entry] = [:]
        var order: [String] = []
        var handlers: [AttachHandler] = []
    }

    public let loop: EventLoop
    private let reopenPolicy: SerialPort.ReopenPolicy
    private let duplicateWindow: Duration
    private let logger: Logger
    private let state: Mutex<State>

    public init(setup: DeviceSetup, loop: EventLoop, duplicateWindow: Duration = .seconds(3),
                reopenPolicy: SerialPort.ReopenPolicy = .standard, logger: Logger = Logger(label: "checkpoint.scanners")) {
        self.loop = loop
        self.reopenPolicy = reopenPolicy
        self.duplicateWindow = duplicateWindow
        self.logger = logger
        var s = State(catalog: setup.catalog)
        for (id, device, print) in Self.scanners(setup) {
            s.entries[id] = Entry(device: device, print: print)
            s.order.append(id)
        }
        state = Mutex(s)
    }

    /// Adds a handler that gets every new runner before it starts.
    public func onAttach(_ handler: @escaping AttachHandler) { state.withLock { $0.handlers.append(handler) } }

    /// True if a configured scanner is found by discovery (selector or model alone), so hotplug
    /// events are needed.
    public var needsDiscovery: Bool { state.withLock { s in s.entries.values.contains { !$0.byPath } } }

    /// The running scanners, in configuration order.
    public var runners: [ScannerRunner] { state.withLock { s in s.order.compactMap { s.entries[$0]?.runner } } }

    /// Every configured scanner's status, a missing one included, in configuration order.
    public var statuses: [ScannerStatus] {
        let entries = state.withLock { s in s.order.compactMap { s.entries[$0] } }
        return entries.map { e in
            guard let runner = e.runner else {
                return ScannerStatus(id: e.device.id, path: "", port: "missing", counters: e.counters, lastScanAt: e.lastScanAt,
                                     attaches: e.attaches, detaches: e.detaches)
            }
            var status = runner.status
            status.attaches = e.attaches
            status.detaches = e.detaches
            return status
        }
    }

    /// Opens the scanners named by path and attaches the others that fit a node of `discovered`.
    public func start(discovered: [DeviceDescription]) {
        for id in state.withLock({ $0.order }) { attach(id, discovered: discovered) }
    }

    /// A hotplug "add": attaches every missing scanner that `description` fits; a scanner whose
    /// node was lost without a "remove" (the read error came alone) moves to it too.
    public func deviceAdded(_ description: DeviceDescription) {
        let (catalog, waiting) = state.withLock { s in
            (s.catalog, s.order.compactMap { id in s.entries[id].flatMap { e in !e.byPath && e.runner?.isOpen != true ? e : nil } })
        }
        for entry in waiting where DeviceCandidates.model(of: entry.device, for: description, role: .scanner, catalog: catalog) != nil {
            if entry.runner != nil { detach(entry.device.id, reason: "its device is gone (it reappeared at \(description.devnode))") }
            attach(entry.device.id, discovered: [description])
        }
    }

    /// A hotplug "remove": detaches the scanner attached to that node.
    public func deviceRemoved(_ description: DeviceDescription) {
        let ids = state.withLock { s in s.order.filter { s.entries[$0]?.devnode == description.devnode && s.entries[$0]?.runner != nil } }
        for id in ids { detach(id, reason: "unplugged (\(description.devnode) removed)") }
    }

    /// Takes a reloaded configuration: scanners whose section or catalog model changed, or that
    /// are gone, are stopped; changed and new ones are opened or attached as at start. Returns the
    /// ids stopped and the ids now configured anew.
    @discardableResult
    public func apply(_ setup: DeviceSetup, discovered: [DeviceDescription]) -> (stopped: [String], started: [String]) {
        let scanners = Self.scanners(setup)
        let (stopping, started) = state.withLock { s -> ([ScannerRunner], [String]) in
            let prints = Dictionary(scanners.map { ($0.id, $0.print) }, uniquingKeysWith: { a, _ in a })
            var stopping: [ScannerRunner] = []
            var started: [String] = []
            for id in s.order where prints[id] != s.entries[id]?.print {
                if let runner = s.entries[id]?.runner { stopping.append(runner) }
                s.entries[id] = nil
            }
            s.catalog = setup.catalog
            s.order = scanners.map(\.id)
            for (id, device, print) in scanners where s.entries[id] == nil {
                s.entries[id] = Entry(device: device, print: print)
                started.append(id)
            }
            return (stopping, started)
        }
        for runner in stopping {
            runner.stop()
            logger.info("scanner \(runner.id): stopped (its configuration changed or it is no longer configured)")
        }
        for id in started { attach(id, discovered: discovered) }
        return (stopping.map(\.id), started)
    }

    /// Stops every runner.
    public func stop() {
        for runner in runners { runner.stop() }
    }

    // MARK: Attaching

    /// The configured scanners of `setup` with their fingerprints.
    private static func scanners(_ setup: DeviceSetup) -> [(id: String, device: DeviceConfiguration, print: DeviceFingerprint)] {
        setup.devices.compactMap { device in
            guard device.model.flatMap({ setup.catalog.model($0) })?.role == .scanner else { return nil }
            return (device.id, device, DeviceFingerprint(device, catalog: setup.catalog))
        }
    }

    private func attach(_ id: String, discovered: [DeviceDescription]) {
        guard let (entry, catalog) = state.withLock({ s in s.entries[id].map { ($0, s.catalog) } }), entry.runner == nil else { return }
        let device = entry.device
        let path: String
        let model: CatalogModel
        var devnode: String?
        if case .path(let p) = device.location {
            guard let named = device.model.flatMap({ catalog.model($0) }) else { return }
            (path, model) = (p, named)
        } else {
            let candidates = DeviceCandidates.of(device, role: .scanner, catalog: catalog, in: discovered)
            guard candidates.count == 1 else {
                if candidates.count > 1 {
                    logger.error("scanner \(id): \(candidates.count) plugged-in devices fit it (\(candidates.map(\.description.devnode).joined(separator: ", "))); none attached: tell them apart with match = { serial = …, port = … }")
                } else if entry.attaches == 0 {
                    logger.notice("scanner \(id): nothing plugged in fits it yet; waiting for hotplug")
                }
                return
            }
            let d = candidates[0].description
            model = candidates[0].model
            path = model.transport.kind == .serial ? ThermometerFleet.stablePath(d) : d.devnode
            devnode = d.devnode
        }
        let runner: ScannerRunner
        do {
            runner = try ScannerRunner(id: id, profile: try ScannerFamilies.profile(for: model), path: path,
                                       serialSettings: model.transport.serialSettings, loop: loop, duplicateWindow: duplicateWindow,
                                       reopenPolicy: reopenPolicy, counters: entry.counters, lastScanAt: entry.lastScanAt, logger: logger)
        } catch {
            logger.error("scanner \(id): \(error)")
            return
        }
        let handlers = state.withLock { s -> [AttachHandler]? in
            guard s.entries[id]?.runner == nil, s.entries[id]?.print == entry.print else { return nil }
            s.entries[id]?.runner = runner
            s.entries[id]?.devnode = devnode
            if devnode != nil { s.entries[id]?.attaches += 1 }
            return s.handlers
        }
        guard let handlers else { return }
        for h in handlers { h(runner) }
        do {
            try runner.start()
            logger.info("attached scanner \(id): \(model.model) at \(path)")
        } catch {
            logger.error("scanner \(id): \(error)")
        }
    }

    private func detach(_ id: String, reason: String) {
        guard let runner = state.withLock({ s -> ScannerRunner? in
            guard let runner = s.entries[id]?.runner else { return nil }
            s.entries[id]?.runner = nil
            s.entries[id]?.devnode = nil
            s.entries[id]?.detaches += 1
            return runner
        }) else { return }
        runner.detach(reason: reason)
        let status = runner.status
        state.withLock { s in
            s.entries[id]?.counters = runner.counters
            s.entries[id]?.lastScanAt = status.lastScanAt
        }
        logger.warning("scanner \(id): detached, \(reason); missing until it is plugged in again")
    }
}
