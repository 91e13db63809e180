import Foundation
import TestSupport

/// pymodbus 3.16 as an independent Modbus RTU server on a PTY pair (Peers/modbus_rtu_peer.py, run
/// with the test venv's Python). `path` is the PTY slave the code under test opens.
final class PymodbusPeer: Sendable {
    let process = Process()
    let path: String
    private let stdin = Pipe()

    /// `input` / `holding`: register address → value.
    init(deviceID: Int, input: [Int: UInt16] = [:], holding: [Int: UInt16] = [:]) throws {
        let script = BuildProducts.packageRoot.appendingPathComponent("Tests/ThermometersTests/Peers/modbus_rtu_peer.py").path
        process.executableURL = URL(fileURLWithPath: try TestEnvironment.python())
        var arguments = [script, "--device-id", String(deviceID)]
        for (a, v) in input.sorted(by: { $0.key < $1.key }) { arguments += ["--input", "\(a)=\(v)"] }
        for (a, v) in holding.sorted(by: { $0.key < $1.key }) { arguments += ["--holding", "\(a)=\(v)"] }
        process.arguments = arguments
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        // The first line is "PORT /dev/pts/N" once the server is set up.
        var line = Data()
        while true {
            let byte = stdout.fileHandleForReading.readData(ofLength: 1)
            if byte.isEmpty || byte == Data([0x0A]) { break }
            line.append(byte)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("PORT ") else {
            process.terminate()
            throw RigError(description: "pymodbus peer did not start (got \"\(text)\"); is pymodbus in the venv?")
        }
        path = String(text.dropFirst(5))
    }

    func stop() {
        try? stdin.fileHandleForWriting.close()
        let deadline = Date().addingTimeInterval(3)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }
}
