import CheckpointCore
import DeviceCatalog
import DeviceFamilies
import DeviceIO
import DeviceRuntime
import Foundation
import TestSupport
import Testing
import Thermometers

/// The `checkpoint-sim` executable as a child process: its stdout lines, its stdin for commands.
// @unchecked: `links` and `readyLine` are written once in `init`, before the object is shared.
final class SimulatorProcess: @unchecked Sendable {
    let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    /// name → link path, from the lines it printed at start.
    private(set) var links: [String: String] = [:]
    private(set) var readyLine = ""

    init(arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: BuildProducts.executable("checkpoint-sim"))
        process.arguments = ["run", "--catalog", shippedCatalogPath] + arguments
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        while let line = readLine() {
            if line.hasPrefix("ready:") { readyLine = line; break }
            let fields = line.split(separator: "\t").map(String.init)
            if fields.count >= 2 { links[fields[0]] = fields[1] }
        }
    }

    func readLine() -> String? {
        var line = Data()
        while true {
            let byte = output.fileHandleForReading.readData(ofLength: 1)
            if byte.isEmpty { return line.isEmpty ? nil : String(decoding: line, as: UTF8.self) }
            if byte == Data([0x0A]) { return String(decoding: line, as: UTF8.self) }
            line.append(byte)
        }
    }

    /// Sends a runtime command line and returns the reply line.
    func command(_ line: String) -> String? {
        input.fileHandleForWriting.write(Data((line + "\n").utf8))
        return readLine()
    }

    func stop() {
        process.terminate()
        process.waitUntilExit()
    }
}

@Suite("checkpoint-sim executable", .serialized)
struct SimulatorExecutableTests {
    @Test("checkpoint-sim prints the link it made; a runner reads it; runtime commands change the temperature and unplug the device")
    func executableEndToEnd() async throws {
        let dir = try TestEnvironment.temporaryDirectory("sim-exe")
        defer { try? FileManager.default.removeItem(at: dir) }
        let sim = try SimulatorProcess(arguments: ["--dir", dir.path, "--device", "gd60914:celsius=38.4,name=forehead", "--device", "xy-md02"])
        defer { sim.stop() }
        #expect(sim.readyLine.hasPrefix("ready: 2 device(s)"))
        let link = try #require(sim.links["forehead"])
        #expect(link == dir.appendingPathComponent("forehead").path)
        #expect(FileManager.default.fileExists(atPath: try #require(sim.links["xy-md02"])))

        let model = try #require(try shippedCatalog().model("gd60914"))
        let loop = try EventLoop(name: "t-sim-exe")
        defer { loop.stop() }
        let session = ThermometerSession(model: model.model, device: link, codec: try ThermometerFamilies.codec(for: model),
                                         scaling: try #require(model.temperature), polling: PollingParameters(pollMs: 50, timeoutMs: 80, retries: 0))
        let runner = try ThermometerRunner(id: "forehead", path: link, settings: try #require(model.transport.serialSettings),
                                           session: session, loop: loop, reopenPolicy: PTYRig.quickReopen)
        let log = EventLog()
        runner.onEvent { log.append($0) }
        try runner.open()
        defer { runner.stop() }
        #expect(await waitUntil { log.readings.first.map { abs($0.celsius - 38.4) < 0.06 } ?? false }, "\(log.events)")

        #expect(sim.command("forehead set 36.9")?.contains("36.9") == true)
        #expect(await waitUntil { log.readings.last.map { abs($0.celsius - 36.9) < 0.06 } ?? false })

        #expect(sim.command("forehead badsum 1") != nil)
        #expect(sim.command("forehead noise") != nil)
        #expect(await waitUntil { runner.session.statistics.rejections[.garbage] ?? 0 >= 1 })

        #expect(sim.command("forehead disconnect 200")?.contains("unplugged") == true)
        #expect(await waitUntil { runner.session.statistics.reconnects == 1 })
        let count = log.readings.count
        #expect(await waitUntil { log.readings.count > count })
    }

    @Test("One checkpoint-sim process simulates every shipped thermometer model, each read at its set temperature on its PTY")
    func everyModelThroughTheExecutable() async throws {
        let catalog = try shippedCatalog()
        let models = catalog.models.filter { $0.role == .thermometer }
        let dir = try TestEnvironment.temporaryDirectory("sim-all")
        defer { try? FileManager.default.removeItem(at: dir) }
        func celsius(_ m: CatalogModel) -> Double { m.temperature?.kind == .ambient ? 12.3 : 38.1 }
        let specs = models.flatMap { m in ["--device", "\(m.model):celsius=\(celsius(m))" + (m.family == "ascii-line" ? ",period=50" : "")] }
        let sim = try SimulatorProcess(arguments: ["--dir", dir.path] + specs)
        defer { sim.stop() }
        let loop = try EventLoop(name: "t-sim-all")
        defer { loop.stop() }
        var runners: [(CatalogModel, ThermometerRunner, EventLog)] = []
        for model in models {
            let link = try #require(sim.links[model.model])
            let runner = try ThermometerRunner(id: model.model, path: link, settings: try #require(model.transport.serialSettings),
                                               session: try ThermometerSession(model: model, device: link), loop: loop)
            let log = EventLog()
            runner.onEvent { log.append($0) }
            try runner.open()
            runners.append((model, runner, log))
        }
        defer { runners.forEach { $0.1.stop() } }
        #expect(await waitUntil { runners.allSatisfy { !$0.2.readings.isEmpty } })
        for (model, _, log) in runners {
            let reading = log.readings.first
            let scale = abs(model.temperature?.scale ?? 1)
            #expect(reading.map { abs($0.celsius - celsius(model)) <= scale / 2 + 1e-9 } == true, "\(model.model): \(log.events)")
            #expect(reading?.kind == model.temperature?.kind)
        }
    }
}
