import AsyncHTTPClient
import CentralServer
import CentralStore
import CheckpointCore
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL
import TestSupport

/// A real `CentralServer` on 127.0.0.1 (port 0) over a real store in a temporary directory (SQLite)
/// or a private schema (PostgreSQL), with the places, two registered gates and an admin token.
/// Each test makes its own and calls `stop()`.
final class ServerHarness: Sendable {
    static let adminToken = "test-admin-token-0123456789abcdef"
    static let quietLogger = Logger(label: "central-test", factory: { _ in SwiftLogNoOpLogHandler() })

    let store: any CentralStorage
    let port: Int
    let directory: URL?
    /// `gate id` → `<gate>:<secret>` for the registered gates `g1`, `g2`.
    let credentials: [String: String]
    private let task: Task<Void, any Error>

    let scheme: String
    var baseURL: String { "\(scheme)://127.0.0.1:\(port)" }

    /// Wakes the server's alert streams and webhook (a test's own alert-raising service can use it).
    let alertFeed: AlertFeed

    private init(store: any CentralStorage, port: Int, directory: URL?, credentials: [String: String],
                 task: Task<Void, any Error>, scheme: String, alertFeed: AlertFeed) {
        self.alertFeed = alertFeed
        self.scheme = scheme
        self.store = store
        self.port = port
        self.directory = directory
        self.credentials = credentials
        self.task = task
    }

    /// SQLite in a fresh temporary directory.
    /// With `webhook`, a `WebhookService` runs beside the application, woken by its ingests.
    static func sqlite(tls: ((URL) throws -> CentralServerConfiguration.TLSFiles)? = nil,
                       webhook: WebhookConfiguration? = nil, privacy: CredentialPrivacy = .plain) async throws -> ServerHarness {
        let directory = try TestEnvironment.temporaryDirectory("central-server")
        let store = try await CentralStorageFactory.open("sqlite:\(directory.path)/central.sqlite", logger: quietLogger,
                                                         writeWaitLimit: StoreFixture.writeWaitLimit)
        return try await start(store: store, directory: directory, tls: try tls?(directory), webhook: webhook, privacy: privacy)
    }

    /// Runs `body` with a fresh SQLite-backed server and stops it afterwards, also on failure.
    static func withSQLite(tls: ((URL) throws -> CentralServerConfiguration.TLSFiles)? = nil, webhook: WebhookConfiguration? = nil,
                           privacy: CredentialPrivacy = .plain, _ body: (ServerHarness) async throws -> Void) async throws {
        try await with(try await sqlite(tls: tls, webhook: webhook, privacy: privacy), body)
    }

    /// Runs `body` with a fresh PostgreSQL-backed server and stops it afterwards.
    static func withPostgres(privacy: CredentialPrivacy = .plain, _ body: (ServerHarness) async throws -> Void) async throws {
        try await with(try await postgres(privacy: privacy), body)
    }

    private static func with(_ server: ServerHarness, _ body: (ServerHarness) async throws -> Void) async throws {
        do {
            try await body(server)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    /// PostgreSQL (the server scripts/test.sh starts) in a fresh schema.
    static func postgres(privacy: CredentialPrivacy = .plain) async throws -> ServerHarness {
        let url = try TestEnvironment.postgresURL()
        let schema = "srv_" + UUID().uuidString.prefix(8).lowercased()
        let store = try await CentralStorageFactory.open(url + (url.contains("?") ? "&" : "?") + "schema=\(schema)",
                                                         logger: quietLogger, writeWaitLimit: StoreFixture.writeWaitLimit)
        return try await start(store: store, directory: nil, privacy: privacy)
    }

    static func start(store: any CentralStorage, directory: URL?,
                      tls: CentralServerConfiguration.TLSFiles? = nil, webhook: WebhookConfiguration? = nil,
                      privacy: CredentialPrivacy = .plain) async throws -> ServerHarness {
        try await store.upsertPlaces(Fixtures.places)
        var credentials: [String: String] = [:]
        for gate in ["g1", "g2"] {
            let issued = try await store.registerGate(gate, checkpoint: "cp1", at: Date())
            credentials[gate] = "\(gate):\(issued.secret)"
        }
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let feed = AlertFeed()
        let application = try CentralServer.makeApplication(
            store: store,
            configuration: CentralServerConfiguration(host: "127.0.0.1", port: 0, adminTokens: .plain([adminToken]), tls: tls,
                                                      webhook: webhook, credentialPrivacy: privacy),
            logger: quietLogger,
            openAPIText: try String(contentsOf: Fixtures.openAPIPath, encoding: .utf8),
            alertFeed: feed,
            onListening: { _, port in continuation.yield(port) })
        if let webhook {
            try await WebhookService(store: store, configuration: webhook, feed: feed, logger: quietLogger).registerEndpoint()
        }
        let task = Task {
            defer { continuation.finish() }
            try await withThrowingTaskGroup(of: Void.self) { group in
                if let webhook {
                    group.addTask { try await WebhookService(store: store, configuration: webhook, feed: feed, logger: quietLogger).run() }
                }
                group.addTask { try await application.run() }
                try await group.next()
                group.cancelAll()
            }
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            try await task.value
            throw ServerTestFailure("server stopped before listening")
        }
        return ServerHarness(store: store, port: port, directory: directory, credentials: credentials, task: task,
                             scheme: tls == nil ? "http" : "https", alertFeed: feed)
    }

    func stop() async {
        task.cancel()
        _ = try? await task.value
        await store.close()
        if let directory { try? FileManager.default.removeItem(at: directory) }
    }

    // MARK: HTTP

    struct Reply: Sendable {
        var status: Int
        var headers: HTTPHeaders
        var body: Data

        func decode<T: Decodable>(_ type: T.Type) throws -> T { try CheckpointJSON.decoder().decode(type, from: body) }

        /// The APIErrorBody of a 4xx/5xx (throws if the body is not one).
        func errorBody() throws -> APIErrorBody { try decode(APIErrorBody.self) }
    }

    func send(_ method: HTTPMethod, _ path: String, bearer: String? = nil, contentType: String? = "application/json",
              accept: String? = nil, body: Data? = nil) async throws -> Reply {
        try await Self.send(method, baseURL + path, bearer: bearer, contentType: contentType, accept: accept, body: body)
    }

    static func send(_ method: HTTPMethod, _ url: String, bearer: String? = nil, contentType: String? = "application/json",
                     accept: String? = nil, body: Data? = nil, timeout: TimeAmount = .seconds(20)) async throws -> Reply {
        var request = HTTPClientRequest(url: url)
        if url.hasPrefix("https:") {
            // The tests' self-signed certificate: encryption is what is under test, not the PKI.
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.certificateVerification = .none
            request.tlsConfiguration = tls
        }
        request.method = method
        if let bearer { request.headers.add(name: "Authorization", value: "Bearer \(bearer)") }
        if let accept { request.headers.add(name: "Accept", value: accept) }
        if let body {
            if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: timeout)
        if response.headers["Content-Type"].first?.hasPrefix("text/event-stream") == true {
            // An endless stream: the head is the answer (dropping the body closes the connection).
            return Reply(status: Int(response.status.code), headers: response.headers, body: Data())
        }
        let bytes = try await response.body.collect(upTo: 64 * 1024 * 1024)
        return Reply(status: Int(response.status.code), headers: response.headers, body: Data(bytes.readableBytesView))
    }

    /// `POST /v1/ingest` of `batch` as `gate` (its own credential unless `bearer` is given).
    func ingest(_ batch: IngestBatch, as gate: String, bearer: String? = nil) async throws -> Reply {
        try await send(.POST, "/v1/ingest", bearer: bearer ?? credentials[gate], body: try CheckpointJSON.encoder().encode(batch))
    }

    /// How many entries and quarantined records the store holds for `gate` (any time).
    func storedCount(gate: String) async throws -> Int {
        let page = try await store.entries(LedgerQuery(scope: PlaceScope(level: .gate, id: gate), range: Fixtures.allTime,
                                                       limit: 5000))
        let quarantined = try await store.quarantined(gate: gate, limit: 1000)
        return page.entries.count + quarantined.count
    }
}
