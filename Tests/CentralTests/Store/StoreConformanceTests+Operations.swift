import CentralStore
import CheckpointCore
import Foundation
import Testing

extension StoreConformanceTests {
    @Test("A heartbeat sets last contact, backlog, devices and the clock offset as server time minus the gate's sentAt",
          arguments: StoreEngine.allCases)
    func heartbeatHealth(engine: StoreEngine) async throws {
        try await withStore(engine) { f, _ in
            let epoch = UUID()
            let received = F.base.addingTimeInterval(600)
            let devices = [DeviceState(id: "usb:1a86:7523@1-1.2", role: .thermometer, status: .ok, model: "lu90614"),
                           DeviceState(id: "/dev/hidraw0", role: .scanner, status: .missing, detail: "unplugged 12:01")]
            let beat = Heartbeat(gate: "g1", sentAt: received.addingTimeInterval(-2.5), clockSynced: false, bootID: "boot-a",
                                 monotonicNanos: 5_000_000_000, journalEpoch: epoch, lastSeq: 42, backlog: 17, softwareVersion: "0.3.1",
                                 devices: devices)
            _ = try await f.store.upsertWatchList([WatchListChange(credential: "X", colour: .red, isolation: true, reason: "home")], at: F.base)
            let reply = try await f.store.recordHeartbeat(gate: "g1", beat, receivedAt: received)
            #expect(reply.serverTime == received && reply.watchListVersion == 1)
            #expect(reply.profileVersion == 0, "no profile level is set for the gate")
            let health = try #require(try await f.store.gateHealth(scope: PlaceScope(level: .gate, id: "g1")).first)
            #expect(health.lastContact == received)
            #expect(health.clockOffsetMillis == 2_500)
            #expect(health.backlog == 17)
            #expect(health.clockSynced == false)
            #expect(health.softwareVersion == "0.3.1")
            #expect(health.journalEpoch == epoch)
            #expect(health.lastSeq == 42)
            #expect(health.devices == devices)
            #expect(health.canIngest)
            // A later heartbeat replaces the earlier one; a gate ahead of the server has a negative offset.
            var later = beat
            later.sentAt = received.addingTimeInterval(61)
            later.backlog = 0
            _ = try await f.store.recordHeartbeat(gate: "g1", later, receivedAt: received.addingTimeInterval(60))
            let updated = try #require(try await f.store.gateHealth(scope: PlaceScope(level: .gate, id: "g1")).first)
            #expect(updated.clockOffsetMillis == -1_000)
            #expect(updated.backlog == 0)
            let street = try await f.store.gateHealth(scope: PlaceScope(level: .street, id: "wenhua"))
            #expect(street.map(\.gate) == ["g1", "g2", "g3", "g4"])
            #expect(street.dropFirst().allSatisfy { $0.lastContact == nil && $0.devices.isEmpty })
            var foreign = beat
            foreign.gate = "g2"
            await #expect(throws: CentralStoreError.gateMismatch(authenticated: "g1", presented: "g2")) {
                _ = try await f.store.recordHeartbeat(gate: "g1", foreign, receivedAt: received)
            }
        }
    }

    @Test("Watch-list deltas carry upserts and removals after a version, and are full from 0, after pruning or from the future",
          arguments: StoreEngine.allCases)
    func watchListDeltas(engine: StoreEngine) async throws {
        try await withStore(engine) { f, _ in
            let s = f.store
            #expect(try await s.watchListVersion() == 0)
            let v1 = try await s.upsertWatchList([
                WatchListChange(credential: "A", colour: .red, isolation: true, reason: "home isolation",
                                validUntil: F.base.addingTimeInterval(86_400 * 14)),
                WatchListChange(credential: "B", colour: .yellow, isolation: false, reason: "contact"),
            ], at: F.base)
            #expect(v1 == 1)
            let v2 = try await s.upsertWatchList([WatchListChange(credential: "B", colour: .orange, isolation: false, reason: "contact+")],
                                                 at: F.base)
            let v3 = try await s.removeFromWatchList(["A", "never-listed"], at: F.base)
            #expect([v2, v3] == [2, 3])
            #expect(try await s.removeFromWatchList(["never-listed"], at: F.base) == 3)

            let since1 = try await s.watchListDelta(since: 1)
            #expect(since1.version == 3)
            #expect(!since1.full)
            #expect(since1.upserts.map { [$0.credential, $0.colour.rawValue, "\($0.version)"] } == [["B", "orange", "2"]])
            #expect(since1.removals == ["A"])
            #expect(try await s.watchListDelta(since: 3) == WatchListDelta(version: 3, upserts: [], removals: [], full: false))

            let full = try await s.watchListDelta(since: 0)
            #expect(full.full)
            #expect(full.upserts.map(\.credential) == ["B"])
            #expect(full.removals.isEmpty)
            #expect(try await s.watchListDelta(since: 99).full)

            // Re-adding a removed credential takes it off the removals.
            _ = try await s.upsertWatchList([WatchListChange(credential: "A", colour: .green, isolation: false, reason: "released")], at: F.base)
            let since3 = try await s.watchListDelta(since: 3)
            #expect(since3.upserts.map(\.credential) == ["A"])
            #expect(since3.removals.isEmpty)
            let first = try #require(try await s.watchListDelta(since: 0).upserts.first { $0.credential == "A" })
            #expect(first.validUntil == nil)
            #expect(first.version == 4)

            _ = try await s.removeFromWatchList(["B"], at: F.base)  // v5
            try await s.pruneWatchListRemovals(through: 5)
            #expect(try await s.watchListDelta(since: 4).full)
            #expect(try await s.watchListDelta(since: 5).full == false)

            await #expect(throws: CentralStoreError.self) {
                _ = try await s.upsertWatchList([WatchListChange(credential: "", colour: .red, isolation: true, reason: "")], at: F.base)
            }
            await #expect(throws: CentralStoreError.self) {
                _ = try await s.upsertWatchList([WatchListChange(credential: "C", colour: .red, isolation: true, reason: ""),
                                                 WatchListChange(credential: "C", colour: .blue, isolation: false, reason: "")], at: F.base)
            }
            #expect(try await s.watchListVersion() == 5)
        }
    }

    @Test("Gate secrets verify; wrong, malformed, unknown and revoked ones are refused; only an explicit rotation issues a new one",
          arguments: StoreEngine.allCases)
    func gateSecrets(engine: StoreEngine) async throws {
        try await withStore(engine) { f, secrets in
            let s = f.store
            let g1 = try #require(secrets["g1"])
            #expect(g1.count == 64)
            #expect(try await s.verifyGateSecret(gate: "g1", secret: g1) == .accepted)
            #expect(try await s.verifyGateSecret(gate: "g2", secret: g1) == .mismatch)
            #expect(try await s.verifyGateSecret(gate: "g1", secret: "not hex") == .mismatch)
            #expect(try await s.verifyGateSecret(gate: "g1", secret: g1.uppercased()) == .accepted)
            #expect(try await s.verifyGateSecret(gate: "nobody", secret: g1) == .unknown)
            try await s.revokeGate("g1", at: F.base)
            #expect(try await s.verifyGateSecret(gate: "g1", secret: g1) == .revoked)
            // Revocation is told only to the holder of the secret.
            #expect(try await s.verifyGateSecret(gate: "g1", secret: String(repeating: "ab", count: 32)) == .mismatch)
            #expect(try await s.gates().first { $0.id == "g1" }?.canIngest == false)
            await #expect(throws: CentralStoreError.unknownGate("nobody")) { try await s.revokeGate("nobody", at: F.base) }
            await #expect(throws: CentralStoreError.gateExists("g1")) { _ = try await s.registerGate("g1", checkpoint: "hexi-1", at: F.base) }
            await #expect(throws: CentralStoreError.unknownGate("nobody")) { _ = try await s.rotateGateSecret("nobody", at: F.base) }
            let renewed = try await s.rotateGateSecret("g1", at: F.base)
            #expect(renewed.secret != g1)
            #expect(try await s.verifyGateSecret(gate: "g1", secret: renewed.secret) == .accepted)
            #expect(try await s.verifyGateSecret(gate: "g1", secret: g1) == .mismatch)
            await #expect(throws: CentralStoreError.unknownPlace(.checkpoint, "nowhere")) {
                _ = try await s.registerGate("g9", checkpoint: "nowhere", at: F.base)
            }
            await #expect(throws: CentralStoreError.self) { _ = try await s.registerGate("bad gate", checkpoint: "hexi-1", at: F.base) }
            // A gate placed by the directory but never issued a secret is unknown to authentication.
            try await s.upsertPlaces(PlaceDirectory(streets: [StreetOffice(id: "wenhua", name: "文化路街道", communities: [
                Community(id: "hexi", name: "河西社区", checkpoints: [CheckpointPlace(id: "hexi-1", name: "河西一号卡点", gates: [GatePlace(id: "g8")])]),
            ])]))
            #expect(try await s.verifyGateSecret(gate: "g8", secret: g1) == .unknown)
        }
    }

    @Test("Admin tokens verify until revoked and are stored only as hashes", arguments: StoreEngine.allCases)
    func adminTokens(engine: StoreEngine) async throws {
        try await withStore(engine) { f, _ in
            let s = f.store
            let token = try await s.createAdminToken(label: "clerk-wenhua", at: F.base)
            #expect(try await s.verifyAdminToken(token.secret) == .accepted)
            #expect(try await s.verifyAdminToken(String(repeating: "0", count: 64)) == .unknown)
            #expect(try await s.verifyAdminToken("") == .unknown)
            await #expect(throws: CentralStoreError.self) { _ = try await s.createAdminToken(label: "clerk-wenhua", at: F.base) }
            try await s.revokeAdminToken(label: "clerk-wenhua", at: F.base.addingTimeInterval(1))
            #expect(try await s.verifyAdminToken(token.secret) == .revoked)
            #expect(try await s.adminTokens() == [AdminTokenInfo(label: "clerk-wenhua", createdAt: F.base, revokedAt: F.base.addingTimeInterval(1))])
            await #expect(throws: CentralStoreError.self) { try await s.revokeAdminToken(label: "nobody", at: F.base) }
        }
    }

    @Test("Places upsert as a tree, update names and parents, and reject bad or repeated identifiers", arguments: StoreEngine.allCases)
    func placesUpsert(engine: StoreEngine) async throws {
        try await withStore(engine) { f, _ in
            let s = f.store
            #expect(try await s.places() == PlaceDirectory(streets: F.places.streets.sorted { $0.id < $1.id }.map { street in
                var street = street
                street.communities.sort { $0.id < $1.id }
                return street
            }))
            // Move checkpoint hexi-2 to community hedong and rename it.
            try await s.upsertPlaces(PlaceDirectory(streets: [StreetOffice(id: "wenhua", name: "文化路街道", communities: [
                Community(id: "hedong", name: "河东社区", checkpoints: [CheckpointPlace(id: "hexi-2", name: "renamed")]),
            ])]))
            let hedong = try await s.places().streets.first { $0.id == "wenhua" }?.communities.first { $0.id == "hedong" }
            #expect(hedong?.checkpoints.map(\.id) == ["hedong-1", "hexi-2"])
            #expect(hedong?.checkpoints.last?.name == "renamed")
            #expect(hedong?.checkpoints.last?.gates.map(\.id) == ["g3"])
            await #expect(throws: CentralStoreError.self) {
                try await s.upsertPlaces(PlaceDirectory(streets: [StreetOffice(id: "bad id", name: "x")]))
            }
            await #expect(throws: CentralStoreError.self) {
                try await s.upsertPlaces(PlaceDirectory(streets: [StreetOffice(id: "a", name: "x"), StreetOffice(id: "a", name: "y")]))
            }
            #expect(try await s.places().streets.map(\.id) == ["renmin", "wenhua"])
        }
    }

    @Test("Re-opening a store applies no migration twice and keeps its data", arguments: StoreEngine.allCases)
    func reopenIsIdempotent(engine: StoreEngine) async throws {
        let (f, _) = try await StoreFixture.withGates(engine)
        let epoch = UUID()
        _ = try await f.store.ingest(gate: "g1", records: F.records(epoch: epoch, seqs: [1, 2]), receivedAt: F.base)
        #expect(try await f.store.schemaVersion() == StorageMigrations.latestVersion)
        await f.store.close()
        let third = F.records(epoch: epoch, seqs: [3])
        for _ in 0..<2 {
            let again = try await CentralStorageFactory.openSQL(f.location, logger: StoreFixture.logger, writeWaitLimit: StoreFixture.writeWaitLimit)
            #expect(try await again.schemaVersion() == StorageMigrations.latestVersion)
            let reply = try await again.ingest(gate: "g1", records: third, receivedAt: F.base)
            #expect(reply.acknowledged.first?.contiguousThrough == 3)
            await again.close()
        }
        if let directory = f.directory { try? FileManager.default.removeItem(at: directory) }
    }

    @Test("Closing during an ingest either finishes the batch or refuses it whole, and later calls are refused",
          arguments: StoreEngine.allCases)
    func closeDrainsInFlight(engine: StoreEngine) async throws {
        let (f, _) = try await StoreFixture.withGates(engine)
        let batch = F.records(epoch: UUID(), seqs: Array(1...500))
        let store = f.store
        let ingest = Task { try await store.ingest(gate: "g1", records: batch, receivedAt: F.base) }
        await store.close()
        let outcome = await ingest.result
        await #expect(throws: CentralStoreError.engine("the store is closed")) { _ = try await store.gates() }
        let reopened = try await CentralStorageFactory.openSQL(f.location, logger: StoreFixture.logger, writeWaitLimit: StoreFixture.writeWaitLimit)
        let kept = try await reopened.entries(LedgerQuery(scope: nil, range: F.allTime, limit: 1_000)).entries.count
        switch outcome {
        case .success(let reply):
            #expect(reply.stored.count == 500)
            #expect(kept == 500)
        case .failure(let error):
            #expect(error as? CentralStoreError == .engine("the store is closed"))
            #expect(kept == 0)
        }
        await reopened.close()
        if let directory = f.directory { try? FileManager.default.removeItem(at: directory) }
    }

    @Test("The engine runs with durable settings: SQLite WAL with synchronous FULL, PostgreSQL fsync and synchronous commit on",
          arguments: StoreEngine.allCases)
    func durableSettings(engine: StoreEngine) async throws {
        try await withStore(engine) { f, _ in
            let settings = try await f.store.durabilitySettings()
            switch engine {
            case .sqlite:
                #expect(settings["journal_mode"] == "wal")
                #expect(settings["synchronous"] == "2")
            case .postgres:
                #expect(settings["fsync"] == "on")
                #expect(settings["synchronous_commit"] != "off")
            }
        }
    }
}

@Suite("Central store locations")
struct StoreLocationTests {
    @Test("sqlite: and postgres:// strings parse; a bad one is refused with a reason")
    func parsing() throws {
        #expect(try StoreLocation(parsing: "sqlite:/var/lib/checkpoint/central.sqlite") == .sqlite(path: "/var/lib/checkpoint/central.sqlite"))
        #expect(try StoreLocation(parsing: "postgres://ledger:pw@db.example:6543/district?schema=site_a")
                == .postgres(.init(host: "db.example", port: 6543, user: "ledger", password: "pw", database: "district", schema: "site_a")))
        #expect(try StoreLocation(parsing: "postgresql://ledger@db/district") == .postgres(.init(host: "db", user: "ledger", database: "district")))
        #expect(try StoreLocation(parsing: "postgres://ledger:pw@db.example/district").description == "postgres://ledger@db.example:5432/district")
        for bad in ["sqlite:", "sqlite::memory:", "mysql://x@y/z", "postgres://db/district", "postgres://u@db/", "postgres://u@db/d?schema=Bad-Name",
                    "postgres://u@db/d?sslmode=bogus"] {
            #expect(throws: CentralStoreError.self, "\(bad)") { _ = try StoreLocation(parsing: bad) }
        }
    }
}
