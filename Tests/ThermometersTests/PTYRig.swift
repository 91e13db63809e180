import CheckpointCore
import DeviceCatalog
import DeviceFamilies
import DeviceIO
import DeviceRuntime
import DeviceSimulators
import Foundation
import TestSupport
import Thermometers

/// Records values produced on the loop thread.
// @unchecked: `items` is reached only under `lock`.
final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [ThermometerEvent] = []

    func append(_ e: ThermometerEvent) { lock.lock(); items.append(e); lock.unlock() }

    var events: [ThermometerEvent] { lock.lock(); defer { lock.unlock() }; return items }

    var readings: [TemperatureReading] {
        events.compactMap { if case .reading(let r, _) = $0 { return r } else { return nil } }
    }

    var rejections: [Rejection] {
        events.compactMap { if case .rejected(let r) = $0 { return r } else { return nil } }
    }
}

/// One simulated thermometer on a real PTY (stable symlink in a temp dir) and a runner reading it
/// through `SerialPort` on an `EventLoop` — the whole path the daemon uses.
final class PTYRig: Sendable {
    let loop: EventLoop
    let directory: URL
    let simulator: SimulatedDeviceHost
    let runner: ThermometerRunner
    let log = EventLog()

    static let quickReopen = SerialPort.ReopenPolicy(initialDelay: .milliseconds(20), maximumDelay: .milliseconds(100))

    /// `behavior` defaults to the registry's simulator for `model`; `polling` to the model's.
    init(model: CatalogModel, behavior: (any DeviceBehavior)? = nil, simulatorOptions: [String: String] = [:],
         polling: PollingParameters? = nil, unitOffset: Double = 0) throws {
        loop = try EventLoop(name: "t-\(model.model)")
        directory = try TestEnvironment.temporaryDirectory("pty-\(model.model)")
        let link = directory.appendingPathComponent(model.model).path
        let behavior = try behavior ?? SimulatorRegistry.makeBehavior(for: model, options: simulatorOptions)
        simulator = try SimulatedDeviceHost(name: model.model, linkPath: link, behavior: behavior, loop: loop)
        let scaling = try require(model.temperature, "[temperature]")
        let session = ThermometerSession(model: model.model, device: "sim:\(model.model)",
                                         codec: try ThermometerFamilies.codec(for: model), scaling: scaling,
                                         polling: try polling ?? PollingParameters.parse(model.protocolParameters),
                                         unitOffset: unitOffset)
        runner = try ThermometerRunner(id: model.model, path: link, settings: try require(model.transport.serialSettings, "serial settings"),
                                       session: session, loop: loop, reopenPolicy: Self.quickReopen)
        runner.onEvent { [log] in log.append($0) }
        try runner.open()
    }

    func shutdown() {
        runner.stop()
        simulator.shutdown()
        loop.stop()
        try? FileManager.default.removeItem(at: directory)
    }
}

/// `#require` outside a test function's body.
func require<T>(_ value: T?, _ what: @autoclosure () -> String = "value") throws -> T {
    guard let value else { throw RigError(description: "missing \(what())") }
    return value
}

struct RigError: Error, CustomStringConvertible { let description: String }

/// The shipped catalog, validated with the thermometer families.
func shippedCatalog() throws -> Catalog {
    let catalog = Catalog.load(directory: shippedCatalogPath, families: CatalogFamilies.all)
    guard catalog.errors.isEmpty else { throw RigError(description: "catalog errors: \(catalog.errors)") }
    return catalog
}
