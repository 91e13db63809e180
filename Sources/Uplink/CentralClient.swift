import AsyncHTTPClient
import CheckpointCore
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

/// Why a request to the central store failed.
public enum CentralClientError: Error, Sendable, CustomStringConvertible {
    /// 409: the store holds one of these (gate, journalEpoch, seq) keys with a different id.
    case conflict(String)
    /// Any other non-2xx status, with the store's error body when it sent one.
    case status(Int, code: String?, message: String)
    /// Connection refused, timeout, TLS failure…
    case transport(String)
    /// A 2xx reply whose body is not the expected JSON.
    case badReply(String)

    public var description: String {
        switch self {
        case .conflict(let m): return "409 conflict: \(m)"
        case let .status(s, code, m): return "HTTP \(s)\(code.map { " \($0)" } ?? ""): \(m)"
        case .transport(let m): return "transport: \(m)"
        case .badReply(let m): return "bad reply: \(m)"
        }
    }
}

/// The gate's client of the gate-facing endpoints of the central store: `POST /v1/ingest`,
/// `POST /v1/heartbeat`, `GET /v1/watchlist?since=V` (and the profile's, in `CentralClient+Profiles`), authenticated with
/// `Authorization: Bearer <gateID>:<secret>`, bodies in `CheckpointJSON`.
/// TLS uses the system trust store, or only the CA file given.
public final class CentralClient: Sendable {
    public let baseURL: String
    public let gate: String
    private let authorization: String
    private let http: HTTPClient
    private let timeout: TimeAmount

    public init(baseURL: String, gate: String, secret: String, caFile: String? = nil, requestTimeout: Duration = .seconds(10)) throws {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.gate = gate
        self.authorization = "Bearer \(gate):\(secret)"
        var tls = TLSConfiguration.makeClientConfiguration()
        if let caFile {
            guard FileManager.default.isReadableFile(atPath: caFile) else {
                throw CentralClientError.transport("CA file \(caFile) is not readable")
            }
            tls.trustRoots = .file(caFile)
        }
        let ms = Int64(requestTimeout.components.seconds * 1000 + requestTimeout.components.attoseconds / 1_000_000_000_000_000)
        self.timeout = .milliseconds(ms)
        var config = HTTPClient.Configuration(tlsConfiguration: tls,
                                              timeout: .init(connect: .milliseconds(min(ms, 5_000)), read: .milliseconds(ms)))
        config.redirectConfiguration = .disallow
        self.http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: config)
    }

    /// Closes the connection pool; call once when done.
    public func shutdown() async {
        try? await http.shutdown()
    }

    /// `POST /v1/ingest` of records already in their wire form (each an `EntryRecord`'s JSON, as the
    /// journal holds it): the body, an `IngestBatch`, is assembled from the bytes.
    public func ingest(gate: String, encodedRecords: [Data]) async throws -> IngestResponse {
        var body = Data(#"{"gate":"#.utf8)
        body.append(try CheckpointJSON.encoder().encode(gate))
        body.append(contentsOf: Array(#","records":["#.utf8))
        for (i, record) in encodedRecords.enumerated() {
            if i > 0 { body.append(UInt8(ascii: ",")) }
            body.append(record)
        }
        body.append(contentsOf: Array("]}".utf8))
        return try await call(.POST, "/v1/ingest", body: body)
    }

    public func heartbeat(_ heartbeat: Heartbeat) async throws -> HeartbeatResponse {
        try await call(.POST, "/v1/heartbeat", body: try CheckpointJSON.encoder().encode(heartbeat))
    }

    public func watchList(since version: Int64) async throws -> WatchListDelta {
        try await call(.GET, "/v1/watchlist?since=\(version)", body: nil)
    }

    /// `GET /v1/commands?wait=S`: the gate's pending remote commands, held open by the store up to
    /// `wait` (kept below the request timeout).
    public func commands(wait: Duration) async throws -> RemoteCommandsResponse {
        try await call(.GET, "/v1/commands?wait=\(wait.components.seconds)", body: nil)
    }

    /// `POST /v1/commands/{id}/ack`.
    public func acknowledgeCommand(_ id: UUID, _ acknowledgement: RemoteCommandAcknowledgement) async throws {
        let _: Empty = try await call(.POST, "/v1/commands/\(id.uuidString.lowercased())/ack",
                                      body: try CheckpointJSON.encoder().encode(acknowledgement))
    }

    /// The request timeout (a long-poll's wait stays below it).
    public var requestTimeout: Duration { .nanoseconds(timeout.nanoseconds) }

    private struct Empty: Decodable {}

    private func call<T: Decodable>(_ method: HTTPMethod, _ path: String, body: Data?) async throws -> T {
        let data = try await send(method, path, body: body).data
        if data.isEmpty, let empty = Empty() as? T { return empty }
        do { return try CheckpointJSON.decoder().decode(T.self, from: data) }
        catch { throw CentralClientError.badReply("\(method) \(path): \(error)") }
    }

    /// Sends one request; returns a 2xx reply's status and body, throws for any other.
    func send(_ method: HTTPMethod, _ path: String, body: Data?, accept: String = "application/json") async throws -> (status: Int, data: Data) {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        request.headers.add(name: "Authorization", value: authorization)
        request.headers.add(name: "Accept", value: accept)
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response: HTTPClientResponse
        let bytes: ByteBuffer
        do {
            response = try await http.execute(request, timeout: timeout)
            bytes = try await response.body.collect(upTo: 16 << 20)
        } catch {
            throw CentralClientError.transport("\(method) \(path): \(error)")
        }
        let data = Data(bytes.readableBytesView)
        guard (200..<300).contains(Int(response.status.code)) else {
            let err = try? CheckpointJSON.decoder().decode(APIErrorBody.self, from: data)
            let message = err?.error.message ?? String(decoding: data.prefix(300), as: UTF8.self)
            if response.status.code == 409 { throw CentralClientError.conflict(message) }
            throw CentralClientError.status(Int(response.status.code), code: err?.error.code, message: message)
        }
        return (Int(response.status.code), data)
    }
}
