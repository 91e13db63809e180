import CheckpointCore
import GateService

/// The one place where the devices' states change: every report passes through `route` on its way
/// from the inbox to the gate, and the registry follows what it says. A lane's thermometer is
/// missing until its first reading and after a loss (`DeviceReport.lost`), and ok again at its
/// next reading; a scanner or reader is ok while open; rejected input is counted per reason.
public struct DeviceStateTracker: Sendable {
    public let registry: DeviceStateRegistry
    /// The lanes' thermometers (shared by the copies of the tracker; replaced by `apply`).
    private let thermometerSet: Mutex<Set<String>>
    private var thermometers: Set<String> { thermometerSet.withLock { $0 } }

    /// The registry starts with every device a lane uses, missing, and their roles.
    public init(lanes: [LaneDevices], registry: DeviceStateRegistry = DeviceStateRegistry()) {
        self.registry = registry
        thermometerSet = Mutex([])
        apply(lanes: lanes)
    }

    /// Follows a reloaded lane list: devices a lane now uses and the registry does not know are
    /// added as missing (known ones keep their state); devices no lane uses any more are removed.
    public func apply(lanes: [LaneDevices]) {
        var used: Set<String> = []
        var thermometers: Set<String> = []
        func add(_ id: String, _ role: DeviceState.Role, _ detail: String) {
            used.insert(id)
            if registry.status(of: id) == nil { registry.update(DeviceState(id: id, role: role, status: .missing, detail: detail)) }
        }
        for lane in lanes {
            for id in lane.scanners { add(id, .scanner, "not opened yet") }
            for id in lane.idReaders { add(id, .idReader, "not ready yet") }
            if let t = lane.thermometer {
                add(t, .thermometer, "no reading yet")
                thermometers.insert(t)
            }
        }
        registry.remove { [.scanner, .idReader, .thermometer].contains($0.role) && !used.contains($0.id) }
        thermometerSet.withLock { $0 = thermometers }
    }

    /// The devices of one lane, by `[[device]]` id.
    public struct LaneDevices: Sendable {
        public var scanners: [String]
        public var idReaders: [String]
        public var thermometer: String?

        public init(scanners: [String], idReaders: [String] = [], thermometer: String?) {
            self.scanners = scanners
            self.idReaders = idReaders
            self.thermometer = thermometer
        }
    }

    /// Updates the registry for `report` and returns what the gate is told, in order: a
    /// thermometer that was not ok and reads again is first announced available.
    public func route(_ report: DeviceReport) -> [GateEvent] {
        switch report {
        case .event(let event):
            switch event {
            case let .reading(id, _, receivedAt) where thermometers.contains(id):
                guard let status = registry.status(of: id), status != .ok else { return [event] }
                registry.set(id, status: .ok)
                return [.deviceAvailability(device: id, available: true, receivedAt: receivedAt), event]
            case let .deviceAvailability(id, available, _):
                registry.set(id, status: available ? .ok : .missing, detail: available ? nil : "port closed")
            case let .scanRejected(id, reason, _, _):
                registry.countRejection(id, reason: reason)
            default:
                break
            }
            return [event]
        case let .lost(id, detail, receivedAt):
            registry.set(id, status: .missing, detail: detail)
            return [.deviceAvailability(device: id, available: false, receivedAt: receivedAt)]
        case let .rejected(id, reason):
            registry.countRejection(id, reason: reason)
            return []
        }
    }
}
