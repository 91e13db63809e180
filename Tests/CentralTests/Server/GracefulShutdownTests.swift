import AsyncHTTPClient
import CentralServer
import CentralStore
import CheckpointCore
import Foundation
import NIOCore
import Testing
import TestSupport

@Suite("checkpoint-central process under SIGTERM (real executable, SQLite file)")
struct GracefulShutdownTests {
    @Test("SIGTERM while a batch is being received: the batch is finished, stored and answered 200, then the server exits 0")
    func inFlightBatchFinishesOnSIGTERM() async throws {
        let directory = try TestEnvironment.temporaryDirectory("central-term")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (database, credential) = try CentralProcess.prepareDatabase(in: directory)

        let server = try CentralProcess(serving: database, in: directory, logLevel: "debug")
        let port = try await server.port()
        let batch = Fixtures.batch(gate: "g1", count: 200)
        let body = try CheckpointJSON.encoder().encode(batch)

        // Send the head and half of the body, then hold the rest back.
        let (chunks, continuation) = AsyncStream<ByteBuffer>.makeStream()
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/ingest")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(credential)")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .stream(chunks, length: .known(Int64(body.count)))
        let responseTask = Task {
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(20))
            let bytes = try await response.body.collect(upTo: 1 << 20)
            return (Int(response.status.code), Data(bytes.readableBytesView))
        }
        continuation.yield(ByteBuffer(bytes: body.prefix(body.count / 2)))
        _ = try await server.logLine(containing: "ingest batch arriving")

        server.signal(SIGTERM)
        _ = try await server.logLine(containing: "Signal caught")
        continuation.yield(ByteBuffer(bytes: body.suffix(from: body.count / 2)))
        continuation.finish()

        let (status, replyBody) = try await responseTask.value
        #expect(status == 200)
        let reply = try CheckpointJSON.decoder().decode(IngestResponse.self, from: replyBody)
        #expect(reply.stored.count == 200)
        #expect(try await server.exitStatus() == 0)

        let store = try await CentralStorageFactory.open(database, logger: ServerHarness.quietLogger,
                                                         writeWaitLimit: StoreFixture.writeWaitLimit)
        let page = try await store.entries(LedgerQuery(scope: PlaceScope(level: .gate, id: "g1"), range: Fixtures.allTime,
                                                       limit: 5000))
        await store.close()
        #expect(Set(page.entries.map(\.record.id)) == Set(batch.records.map(\.id)))
    }

    @Test("Under systemd (Type=notify) serve sends READY=1 with a STATUS= line once listening and STOPPING=1 when it stops")
    func notifiesSystemd() async throws {
        let directory = try TestEnvironment.temporaryDirectory("central-notify")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (database, _) = try CentralProcess.prepareDatabase(in: directory)
        let notify = try NotifySocket(path: directory.appendingPathComponent("notify.sock").path)
        let server = try CentralProcess(serving: database, in: directory, environment: ["NOTIFY_SOCKET": notify.path])
        let ready = try await notify.receive()
        let port = try await server.port()
        #expect(ready == "READY=1\nSTATUS=serving on 127.0.0.1:\(port), store sqlite", "\(ready)")
        #expect(try await ServerHarness.send(.GET, "http://127.0.0.1:\(port)/healthz").status == 200)
        server.signal(SIGTERM)
        #expect(try await notify.receive() == "STOPPING=1")
        #expect(try await server.exitStatus() == 0)
    }
}
