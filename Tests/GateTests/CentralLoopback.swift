import Foundation
import GRDB
import TestSupport

/// The REAL central store for gate tests: `checkpoint-central` (SQLite) run as a child process on
/// 127.0.0.1 with one registered gate, stoppable and restartable on the same port.
// @unchecked: the server process and its restarts are driven by one test at a time.
final class CentralLoopback: @unchecked Sendable {
    let directory: URL
    let gate: String
    let port: Int
    var database: String { "sqlite:" + directory.appendingPathComponent("central.sqlite").path }
    var url: String { "\(scheme)://127.0.0.1:\(port)" }
    var secretsFile: String { directory.appendingPathComponent("gate.secret").path }
    /// The administrator token `serve` accepts (given through its environment, never argv).
    let adminToken = (0..<32).map { _ in String(Int.random(in: 0...15), radix: 16) }.joined()
    /// (certificate chain, key) PEM files: `start()` then serves HTTPS.
    var tls: (cert: String, key: String)?
    /// More `serve` options for the next `start()` (e.g. `--district-key-file`).
    var serveArguments: [String] = []
    var scheme: String { tls == nil ? "http" : "https" }
    private var server: Process?
    private var starts = 0

    struct Failure: Error, CustomStringConvertible { let description: String }

    init(gate: String = "gate-1") throws {
        directory = try TestEnvironment.temporaryDirectory("gate-central")
        self.gate = gate
        port = Int.random(in: 20_000...40_000)
        let places = directory.appendingPathComponent("places.json")
        try #"{"streets":[{"id":"s1","name":"街道","communities":[{"id":"c1","name":"社区","checkpoints":[{"id":"cp1","name":"卡点","gates":[{"id":"\#(gate)"}]}]}]}]}"#
            .write(to: places, atomically: true, encoding: .utf8)
        _ = try Self.run(["places", "import", "--db", database, places.path])
        let credential = try Self.run(["gate", "register", "--db", database, "--id", gate, "--checkpoint", "cp1"])
        guard let secret = credential.split(separator: "\n").first?.split(separator: ":").last else {
            throw Failure(description: "gate register printed no credential: \(credential)")
        }
        FileManager.default.createFile(atPath: secretsFile, contents: Data(secret.utf8), attributes: [.posixPermissions: 0o600])
    }

    /// Starts `serve` on the fixed port and waits (up to 15 s) until it reports listening.
    func start() async throws {
        starts += 1
        let log = directory.appendingPathComponent("serve-\(starts).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: BuildProducts.executable("checkpoint-central"))
        p.arguments = ["serve", "--db", database, "--listen", "127.0.0.1:\(port)"]
            + (tls.map { ["--tls-cert", $0.cert, "--tls-key", $0.key] } ?? []) + serveArguments
        p.environment = ProcessInfo.processInfo.environment.merging(["CHECKPOINT_CENTRAL_ADMIN_TOKEN": adminToken]) { _, new in new }
        p.standardError = try FileHandle(forWritingTo: log)
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        server = p
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline {
            if ((try? String(contentsOf: log, encoding: .utf8)) ?? "").contains(#""msg":"listening""#) { return }
            guard p.isRunning else { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw Failure(description: "checkpoint-central did not start: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
    }

    /// Stops the server hard (SIGKILL), as a crash or power loss of the central host would.
    func kill9() {
        guard let p = server else { return }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        server = nil
    }

    /// (seq, id) of every record the store holds for the gate, by seq.
    func storedRecords() throws -> [(seq: Int64, id: String)] {
        var config = Configuration()
        config.readonly = true
        let db = try DatabaseQueue(path: directory.appendingPathComponent("central.sqlite").path, configuration: config)
        return try db.read { db in
            try Row.fetchAll(db, sql: "SELECT seq, id FROM entries WHERE gate = ? ORDER BY seq", arguments: [gate])
                .map { (seq: $0["seq"], id: ($0["id"] as String).lowercased()) }
        }
    }

    /// Makes a self-signed certificate for 127.0.0.1 with openssl; the next `start()` serves HTTPS.
    func useSelfSignedTLS() throws {
        let cert = directory.appendingPathComponent("cert.pem").path
        let key = directory.appendingPathComponent("key.pem").path
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        p.arguments = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1",
                       "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw Failure(description: "openssl req failed") }
        tls = (cert, key)
    }

    func cleanUp() {
        kill9()
        try? FileManager.default.removeItem(at: directory)
    }

    static func run(_ arguments: [String]) throws -> String {
        let (status, text) = try runBuilt("checkpoint-central", arguments)
        guard status == 0 else { throw Failure(description: "checkpoint-central \(arguments.prefix(2)) exited \(status)") }
        return text
    }
}

/// Runs one of this package's built executables to completion: (exit status, standard output).
func runBuilt(_ name: String, _ arguments: [String]) throws -> (Int32, String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: BuildProducts.executable(name))
    p.arguments = arguments
    let out = Pipe()
    p.standardOutput = out
    p.standardError = FileHandle.nullDevice
    try p.run()
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    p.waitUntilExit()
    return (p.terminationStatus, text)
}

/// The gate's entry path as a child process (`gate-stream-harness`, see its main.swift): output
/// lines `journaled <seq> <id>` and `drained` are collected in a file.
final class GateHarness: Sendable {
    let process = Process()
    let output: URL

    init(journal: String, central: CentralLoopback, total: Int, run: Int, backoffMaxMs: Int = 300, paceMs: Int = 0) throws {
        output = central.directory.appendingPathComponent("harness-\(run).out")
        FileManager.default.createFile(atPath: output.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: BuildProducts.executable("gate-stream-harness"))
        process.arguments = [journal, central.gate, central.url, central.secretsFile, String(total), String(backoffMaxMs), String(paceMs)]
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    /// The `journaled` lines so far as (seq, id).
    var journaled: [(seq: Int64, id: String)] {
        lines.compactMap { line in
            let parts = line.split(separator: " ")
            guard parts.count == 3, parts[0] == "journaled", let seq = Int64(parts[1]) else { return nil }
            return (seq, String(parts[2]))
        }
    }

    var drained: Bool { lines.contains("drained") }

    private var lines: [String] {
        ((try? String(contentsOf: output, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    func kill9() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Waits (up to `seconds`) for the process to exit; returns its status, or nil if it did not.
    func exitStatus(within seconds: Double) async -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        return process.isRunning ? nil : process.terminationStatus
    }
}
