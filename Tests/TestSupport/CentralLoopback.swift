import AsyncHTTPClient
import Foundation
import GRDB
import NIOCore
import NIOHTTP1

/// The REAL central store for gate tests: `checkpoint-central` (SQLite) run as a child process on
/// 127.0.0.1 with one registered gate, stoppable and restartable on the same port.
// @unchecked: the server process and its restarts are driven by one test at a time.
public final class CentralLoopback: @unchecked Sendable {
    public let directory: URL
    public let gate: String
    public let port: Int
    public var database: String { "sqlite:" + directory.appendingPathComponent("central.sqlite").path }
    public var url: String { "\(scheme)://127.0.0.1:\(port)" }
    public var secretsFile: String { directory.appendingPathComponent("gate.secret").path }
    /// The administrator token `serve` accepts (given through its environment, never argv).
    public let adminToken = (0..<32).map { _ in String(Int.random(in: 0...15), radix: 16) }.joined()
    /// (certificate chain, key) PEM files: `start()` then serves HTTPS.
    public var tls: (cert: String, key: String)?
    /// More `serve` options for the next `start()` (e.g. `--district-key-file`).
    public var serveArguments: [String] = []
    public var scheme: String { tls == nil ? "http" : "https" }
    private var server: Process?
    private var starts = 0

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        public init(description: String) { self.description = description }
    }

    public init(gate: String = "gate-1") throws {
        directory = try TestEnvironment.temporaryDirectory("gate-central")
        self.gate = gate
        // Below the kernel's ephemeral range (32768… by default), which outgoing connections
        // take their local ports from: a port chosen inside it was found taken ("Address already
        // in use") on a busy machine.
        port = Int.random(in: 20_000...32_000)
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
    public func start() async throws {
        starts += 1
        let log = directory.appendingPathComponent("serve-\(starts).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: BuildProducts.executable("checkpoint-central"))
        // No write is refused `busy` for waiting (see `--write-wait-ms`): these tests are not about overload.
        p.arguments = ["serve", "--db", database, "--listen", "127.0.0.1:\(port)", "--write-wait-ms", "600000"]
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
    public func kill9() {
        guard let p = server else { return }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        server = nil
    }

    /// (seq, id) of every record the store holds for the gate, by seq.
    public func storedRecords() throws -> [(seq: Int64, id: String)] {
        var config = Configuration()
        config.readonly = true
        let db = try DatabaseQueue(path: directory.appendingPathComponent("central.sqlite").path, configuration: config)
        return try db.read { db in
            try Row.fetchAll(db, sql: "SELECT seq, id FROM entries WHERE gate = ? ORDER BY seq", arguments: [gate])
                .map { (seq: $0["seq"], id: ($0["id"] as String).lowercased()) }
        }
    }

    /// Makes a self-signed certificate for 127.0.0.1 with openssl; the next `start()` serves HTTPS.
    public func useSelfSignedTLS() throws {
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

    /// One request to the store's API with the administrator token: (HTTP status, body).
    public func admin(_ method: HTTPMethod, _ path: String, body: String? = nil) async throws -> (Int, String) {
        var request = HTTPClientRequest(url: url + path)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(adminToken)")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), String(buffer: bytes))
    }

    public func cleanUp() {
        kill9()
        try? FileManager.default.removeItem(at: directory)
    }

    public static func run(_ arguments: [String]) throws -> String {
        let (status, text) = try runBuilt("checkpoint-central", arguments)
        guard status == 0 else { throw Failure(description: "checkpoint-central \(arguments.prefix(2)) exited \(status)") }
        return text
    }
}
