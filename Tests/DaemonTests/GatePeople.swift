import CheckpointCore
import Foundation
import TestSupport

/// `Peers/gate_people.py` as a child process: an independent LU90614 thermometer and serial QR
/// scanner on PTYs (written from the devices' documentation, not from this project's simulators),
/// driven by "people" commands. Every stdout line is kept, so a test can wait for the event it
/// needs ("measured 36.60 7") instead of sleeping.
final class GatePeople: Sendable {
    let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private let lines = Mutex<[String]>([])

    /// Starts the peer with its links in `directory` and waits until it reports them.
    static func start(directory: URL) async throws -> GatePeople {
        let people = try GatePeople(directory: directory)
        _ = await waitUntil(within: .seconds(10)) { people.lines.withLock { $0.first?.hasPrefix("ready ") ?? false } }
        let ready = people.lines.withLock { $0.first ?? "" }.split(separator: " ").map(String.init)
        guard ready.count == 3 else {
            people.process.terminate()
            throw CentralLoopback.Failure(description: "gate_people.py did not start: \(ready)")
        }
        people.links.withLock { $0 = (ready[1], ready[2]) }
        return people
    }

    /// The thermometer's and the scanner's links.
    private let links = Mutex((thermometer: "", scanner: ""))
    var thermometer: String { links.withLock { $0.thermometer } }
    var scanner: String { links.withLock { $0.scanner } }

    private init(directory: URL) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", BuildProducts.packageRoot.appendingPathComponent("Tests/DaemonTests/Peers/gate_people.py").path,
                             directory.path]
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let handle = output.fileHandleForReading
        let store = lines
        Thread.detachNewThread {
            var partial = Data()
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { return }
                partial.append(chunk)
                while let newline = partial.firstIndex(of: 0x0A) {
                    let line = String(decoding: partial[partial.startIndex..<newline], as: UTF8.self)
                    partial.removeSubrange(partial.startIndex...newline)
                    store.withLock { $0.append(line) }
                }
            }
        }
    }

    /// Sends one command and waits for its "ok".
    @discardableResult
    func send(_ command: String) async -> Bool {
        let before = lines.withLock { $0.filter { $0 == "ok" }.count }
        input.fileHandleForWriting.write(Data((command + "\n").utf8))
        return await waitUntil(within: .seconds(10)) { self.lines.withLock { $0.filter { $0 == "ok" }.count } > before }
    }

    /// How many measure requests the thermometer has answered so far.
    var measurements: Int { lines.withLock { $0.filter { $0.hasPrefix("measured ") }.count } }

    /// Waits until the thermometer answered a request with `celsius` after `afterCount` answers.
    func waitForMeasurement(of celsius: Double, after afterCount: Int, within: Duration = .seconds(10)) async -> Bool {
        let text = String(format: "measured %.2f", celsius)
        return await waitUntil(within: within) {
            self.lines.withLock { $0.filter { $0.hasPrefix("measured ") }.dropFirst(afterCount).contains { $0.hasPrefix(text + " ") } }
        }
    }

    func stop() {
        input.fileHandleForWriting.write(Data("quit\n".utf8))
        process.waitUntilExit()
    }
}
