import CheckpointCore
import DeviceCatalog
import DeviceFamilies
import DeviceIO
import DeviceRuntime
import DeviceSimulators
import Foundation
import IDCards
import TestSupport

/// Events recorded from the loop thread.
// @unchecked: `items` is reached only under `lock`.
final class ReaderEventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [IDReaderEvent] = []

    func append(_ e: IDReaderEvent) { lock.lock(); items.append(e); lock.unlock() }
    var events: [IDReaderEvent] { lock.lock(); defer { lock.unlock() }; return items }
    var cards: [IDCard] { events.compactMap { if case .card(let c) = $0 { return c } else { return nil } } }
    var states: [IDReaderState] { events.compactMap { if case .readerState(let s) = $0 { return s } else { return nil } } }
    var rejections: [IDCardRejection] { events.compactMap { if case .rejected(let r) = $0 { return r } else { return nil } } }
}

/// A simulated ID reader on a real PTY (symlink in a temp dir) and an `IDReaderRunner` reading it
/// through `SerialPort` on an `EventLoop`: the path the daemon uses.
final class ReaderRig: Sendable {
    let loop: EventLoop
    let directory: URL
    let simulator: SimulatedDeviceHost
    let runner: IDReaderRunner
    let log = ReaderEventLog()

    init(modelID: String = "sam-module-serial", card: String? = nil) throws {
        let catalog = Catalog.load(directory: shippedCatalogPath, families: CatalogFamilies.all)
        guard catalog.errors.isEmpty, let model = catalog.model(modelID) else {
            throw VectorError(description: "catalog: \(catalog.errors), model \(modelID)")
        }
        loop = try EventLoop(name: "t-\(modelID)")
        directory = try TestEnvironment.temporaryDirectory("pty-\(modelID)")
        let link = directory.appendingPathComponent(modelID).path
        simulator = try SimulatedDeviceHost(name: modelID, linkPath: link,
                                            behavior: try SimulatorRegistry.makeBehavior(for: model, options: card.map { ["card": $0] } ?? [:]),
                                            loop: loop)
        guard let settings = model.transport.serialSettings else { throw VectorError(description: "not serial") }
        runner = try IDReaderRunner(id: modelID, path: link, settings: settings,
                                    session: try IDReaderFamily.session(for: model, device: "sim:\(modelID)"), loop: loop,
                                    reopenPolicy: SerialPort.ReopenPolicy(initialDelay: .milliseconds(20), maximumDelay: .milliseconds(100)))
        runner.onEvent { [log] in log.append($0) }
        try runner.open()
    }

    /// Runs a simulator runtime command (`present resident`, `remove`, `garbage 2`, …).
    func command(_ line: String) throws {
        _ = try simulator.command(line.split(separator: " ").map(String.init))
    }

    func shutdown() {
        runner.stop()
        simulator.shutdown()
        loop.stop()
        try? FileManager.default.removeItem(at: directory)
    }
}
