import CentralServer
import CentralStore
import CheckpointCore
import Foundation
import Testing
import TestSupport

@Suite("checkpoint-central process under kill -9 (real executable, SQLite file)")
struct KillNineTests {
    @Test("kill -9 during a stream of ingest batches loses no acknowledged record, and resending stores each record once")
    func killDuringIngestLosesNothingAcknowledged() async throws {
        let directory = try TestEnvironment.temporaryDirectory("central-kill")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (database, credential) = try CentralProcess.prepareDatabase(in: directory)
        #expect(credential.hasPrefix("g1:"))
        let adminToken = try CentralProcess.run(["admin-token", "create", "--db", database, "--label", "clerk"])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let environment = ["CHECKPOINT_CENTRAL_ADMIN_TOKEN": ServerHarness.adminToken]

        // 60 batches of 20 records, sent by 3 concurrent senders; killed after 15 acknowledgements.
        let epoch = UUID()
        let batches = (0..<60).map { Fixtures.batch(gate: "g1", epoch: epoch, firstSeq: Int64($0 * 20 + 1), count: 20) }
        let server = try CentralProcess(serving: database, in: directory, environment: environment)
        let url = "http://127.0.0.1:\(try await server.port())/v1/ingest"
        let acknowledged = Mutex<Set<UUID>>([])
        let acknowledgedBatches = Mutex(0)
        let killed = Mutex(false)
        await withTaskGroup(of: Void.self) { group in
            for sender in 0..<3 {
                group.addTask {
                    for index in stride(from: sender, to: batches.count, by: 3) {
                        // After the kill nobody listens: AsyncHTTPClient would retry connecting until the
                        // request's deadline, so stop sending, and keep that deadline short for the race.
                        guard !killed.withLock({ $0 }) else { return }
                        guard let reply = try? await ServerHarness.send(
                            .POST, url, bearer: credential, body: try CheckpointJSON.encoder().encode(batches[index]),
                            timeout: .seconds(5)),
                            reply.status == 200, let body = try? reply.decode(IngestResponse.self) else { return }
                        acknowledged.withLock { $0.formUnion(body.stored + body.duplicates) }
                        let count = acknowledgedBatches.withLock { $0 += 1; return $0 }
                        if count == 15 {
                            killed.withLock { $0 = true }
                            server.kill9()
                        }
                    }
                }
            }
        }
        let acknowledgedIDs = acknowledged.withLock { $0 }
        #expect(acknowledgedIDs.count >= 15 * 20)
        #expect(acknowledgedIDs.count < batches.count * 20, "the kill came after every batch was acknowledged")

        // Restart on the same file: every acknowledged record is there.
        let restarted = try CentralProcess(serving: database, in: directory, environment: environment)
        let base = "http://127.0.0.1:\(try await restarted.port())"
        let ledgerURL = base + "/v1/ledgers/gate/g1?from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z&limit=5000"
        let before = try await ServerHarness.send(.GET, ledgerURL, bearer: adminToken)
        #expect(before.status == 200)
        let storedIDs = Set(try before.decode(LedgerResponse.self).entries.map(\.record.id))
        #expect(acknowledgedIDs.subtracting(storedIDs).isEmpty, "acknowledged records lost by kill -9")

        // The gate resends everything (as its uplink would): no conflict, every record stored once.
        for batch in batches {
            let reply = try await ServerHarness.send(.POST, base + "/v1/ingest", bearer: credential,
                                                     body: try CheckpointJSON.encoder().encode(batch))
            #expect(reply.status == 200)
        }
        let after = try await ServerHarness.send(.GET, ledgerURL, bearer: ServerHarness.adminToken)
        #expect(after.status == 200, "the token from the environment works too")
        let ledger = try after.decode(LedgerResponse.self)
        #expect(ledger.total == Int64(batches.count * 20))
        #expect(Set(ledger.entries.map(\.record.id)).count == batches.count * 20)
        #expect(restarted.terminate() == 0, "graceful shutdown on SIGTERM exits 0")
    }
}
