import CheckpointCore
import Foundation
import TestSupport

/// The built `checkpoint-central` executable, run as a child process with its logs in a file.
final class CentralProcess: @unchecked Sendable {
    static var executable: String { BuildProducts.executable("checkpoint-central") }

    let process = Process()
    let logFile: URL

    /// Runs a one-shot command to completion; returns its standard output. Fails on a non-zero exit.
    static func run(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ServerTestFailure("checkpoint-central \(arguments) exited \(process.terminationStatus): \(errorText)")
        }
        return text
    }

    /// Starts `serve` on 127.0.0.1, any free port; logs (JSON lines on stderr) go to `logFile`.
    init(serving database: String, in directory: URL, environment: [String: String]) throws {
        logFile = directory.appendingPathComponent("serve-\(UUID().uuidString.prefix(6)).log")
        FileManager.default.createFile(atPath: logFile.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: Self.executable)
        process.arguments = ["serve", "--db", database, "--listen", "127.0.0.1:0"]
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        process.standardError = try FileHandle(forWritingTo: logFile)
        process.standardOutput = FileHandle.nullDevice
        try process.run()
    }

    /// The port from the `listening` log line, waiting up to `seconds`.
    func port(within seconds: Double = 15) async throws -> Int {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let text = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
            for line in text.split(separator: "\n") where line.contains(#""msg":"listening""#) {
                if let data = line.data(using: .utf8),
                   let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                   let port = (object["port"] as? String).flatMap(Int.init) {
                    return port
                }
            }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw ServerTestFailure("checkpoint-central did not report listening: "
                                      + ((try? String(contentsOf: logFile, encoding: .utf8)) ?? ""))
    }

    func kill9() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    func terminate() -> Int32 {
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        return process.terminationStatus
    }
}
