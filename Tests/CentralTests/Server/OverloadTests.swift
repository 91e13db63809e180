import CentralServer
@testable import CentralStore
import CheckpointCore
import Foundation
import TestSupport
import Testing

/// The store under more writes than it can take: a request that cannot get a write turn in time is
/// answered 503 `busy` quickly, not served after the gate gave up.
@Suite("An overloaded store (real server on loopback, SQLite)")
struct OverloadTests {
    @Test("An ingest that waits past the write limit is answered 503 busy with Retry-After, stores nothing, and the same batch is stored once the writer is free")
    func ingestBeyondTheWriteLimitIsRefusedBusy() async throws {
        let directory = try TestEnvironment.temporaryDirectory("central-overload")
        let store = try await CentralStorageFactory.openSQL(.sqlite(path: "\(directory.path)/central.sqlite"),
                                                            logger: ServerHarness.quietLogger, writeWaitLimit: .milliseconds(300))
        let server = try await ServerHarness.start(store: store, directory: directory)
        do {
            // Hold SQLite's one write turn with a transaction that waits for the test.
            let (started, startedContinuation) = AsyncStream<Void>.makeStream()
            let (release, releaseContinuation) = AsyncStream<Void>.makeStream()
            let holder = Task {
                try await store.write { _ in
                    startedContinuation.yield()
                    for await _ in release { break }
                }
            }
            for await _ in started { break }

            let batch = Fixtures.batch(gate: "g1", count: 3)
            let refused = try await server.ingest(batch, as: "g1")
            #expect(refused.status == 503)
            #expect(try refused.errorBody().error.code == "busy")
            #expect(refused.headers["Retry-After"].first == "5")
            #expect(try await server.storedCount(gate: "g1") == 0)

            releaseContinuation.yield()
            try await holder.value
            let accepted = try await server.ingest(batch, as: "g1")
            #expect(accepted.status == 200)
            #expect(try accepted.decode(IngestResponse.self).acknowledged.first?.contiguousThrough == 3)
            #expect(try await server.storedCount(gate: "g1") == 3)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }
}
