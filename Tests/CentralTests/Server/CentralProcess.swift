import CheckpointCore
import Foundation
import TestSupport

/// The built `checkpoint-central` executable, run as a child process with its logs in a file.
final class CentralProcess: Sendable {
    static var executable: String { BuildProducts.executable("checkpoint-central") }

    let process = Process()
    let logFile: URL

    /// Runs a one-shot command to completion; returns its standard output. Fails on a non-zero exit.
    /// `input`, if given, is written to its standard input (a password, never argv).
    static func run(_ arguments: [String], input: String? = nil) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe(), errors = Pipe(), stdin = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = input == nil ? FileHandle.nullDevice : stdin
        try process.run()
        if let input {
            stdin.fileHandleForWriting.write(Data(input.utf8))
            try stdin.fileHandleForWriting.close()
        }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ServerTestFailure("checkpoint-central \(arguments) exited \(process.terminationStatus): \(errorText)")
        }
        return text
    }

    /// A SQLite database in `directory` with the fixture places (`places import`) and gate g1
    /// registered (`gate register`), both through the executable; returns `--db` and g1's credential.
    static func prepareDatabase(in directory: URL) throws -> (database: String, credential: String) {
        let database = "sqlite:\(directory.path)/central.sqlite"
        let placesFile = directory.appendingPathComponent("places.json")
        try CheckpointJSON.encoder().encode(Fixtures.places).write(to: placesFile)
        _ = try run(["places", "import", "--db", database, placesFile.path])
        let credential = try run(["gate", "register", "--db", database, "--id", "g1", "--checkpoint", "cp1"])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return (database, credential)
    }

    /// Starts `serve` on 127.0.0.1, any free port; logs (JSON lines on stderr) go to `logFile`.
    init(serving database: String, in directory: URL, environment: [String: String] = [:], logLevel: String = "info") throws {
        logFile = directory.appendingPathComponent("serve-\(UUID().uuidString.prefix(6)).log")
        FileManager.default.createFile(atPath: logFile.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: Self.executable)
        // No write is refused `busy` for waiting (see `--write-wait-ms`): these tests are not about overload.
        process.arguments = ["serve", "--db", database, "--listen", "127.0.0.1:0", "--log-level", logLevel, "--write-wait-ms", "600000"]
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        process.standardError = try FileHandle(forWritingTo: logFile)
        process.standardOutput = FileHandle.nullDevice
        try process.run()
    }

    /// The port from the `listening` log line, waiting up to `seconds`.
    func port(within seconds: Double = 15) async throws -> Int {
        let line = try await logLine(containing: #""msg":"listening""#, within: seconds)
        guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
              let port = (object["port"] as? String).flatMap(Int.init) else {
            throw ServerTestFailure("no port in \(line)")
        }
        return port
    }

    /// The first log line containing `text`, waiting up to `seconds` (polling the log file).
    func logLine(containing text: String, within seconds: Double = 15) async throws -> String {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let log = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
            if let line = log.split(separator: "\n").first(where: { $0.contains(text) }) { return String(line) }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw ServerTestFailure("checkpoint-central logged no line with \(text): "
                                + ((try? String(contentsOf: logFile, encoding: .utf8)) ?? ""))
    }

    /// Waits up to `seconds` for the process to exit; its status, or nil if it still runs.
    func exitStatus(within seconds: Double = 15) async throws -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { try await Task.sleep(for: .milliseconds(10)) }
        return process.isRunning ? nil : process.terminationStatus
    }

    func signal(_ number: Int32) { kill(process.processIdentifier, number) }

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
