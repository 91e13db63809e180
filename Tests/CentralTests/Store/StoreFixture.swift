import CentralStore
import CheckpointCore
import Foundation
import Logging
import TestSupport
import Testing

/// The engines the conformance suite runs on. PostgreSQL needs `CHECKPOINT_TEST_POSTGRES_URL`
/// (scripts/test.sh starts a throwaway server); each test gets its own schema there.
enum StoreEngine: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgres
    var testDescription: String { rawValue }
}

/// A fresh store on one engine, with a small place tree, for one test.
struct StoreFixture {
    let store: SQLCentralStorage
    let location: StoreLocation
    let directory: URL?

    /// Tests that are not about overload never have a write refused `busy`: on a loaded machine a
    /// queue of SQLite commits can wait past the product's 5 s (OverloadTests covers the refusal).
    static let writeWaitLimit: Duration = .seconds(600)

    /// 2026-11-24T00:00:00Z: every test's clock starts here.
    static let base = Date(timeIntervalSince1970: 1_795_478_400)

    static let places = PlaceDirectory(streets: [
        StreetOffice(id: "wenhua", name: "文化路街道", communities: [
            Community(id: "hexi", name: "河西社区", checkpoints: [
                CheckpointPlace(id: "hexi-1", name: "河西一号卡点", gates: [GatePlace(id: "g1", name: "north"), GatePlace(id: "g2")]),
                CheckpointPlace(id: "hexi-2", name: "河西二号卡点", gates: [GatePlace(id: "g3")]),
            ]),
            Community(id: "hedong", name: "河东社区", checkpoints: [
                CheckpointPlace(id: "hedong-1", name: "河东一号卡点", gates: [GatePlace(id: "g4")]),
            ]),
        ]),
        StreetOffice(id: "renmin", name: "人民路街道", communities: [
            Community(id: "nanguan", name: "南关社区", checkpoints: [
                CheckpointPlace(id: "nanguan-1", name: "南关一号卡点", gates: [GatePlace(id: "g5")]),
            ]),
        ]),
    ])

    /// Opens a fresh, empty store (migrated) on `engine`.
    static func fresh(_ engine: StoreEngine) async throws -> StoreFixture {
        switch engine {
        case .sqlite:
            let directory = try TestEnvironment.temporaryDirectory("central-store")
            let location = StoreLocation.sqlite(path: directory.appendingPathComponent("central.sqlite").path)
            return StoreFixture(store: try await CentralStorageFactory.openSQL(location, logger: logger, writeWaitLimit: Self.writeWaitLimit), location: location,
                                directory: directory)
        case .postgres:
            let schema = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
            let location = try StoreLocation(parsing: try TestEnvironment.postgresURL() + "?schema=\(schema)")
            return StoreFixture(store: try await CentralStorageFactory.openSQL(location, logger: logger, writeWaitLimit: Self.writeWaitLimit), location: location,
                                directory: nil)
        }
    }

    /// A fresh store with `places` loaded and gates g1…g5 registered; returns their secrets.
    static func withGates(_ engine: StoreEngine) async throws -> (StoreFixture, [String: String]) {
        let fixture = try await fresh(engine)
        try await fixture.store.upsertPlaces(places)
        var secrets: [String: String] = [:]
        for (gate, checkpoint) in [("g1", "hexi-1"), ("g2", "hexi-1"), ("g3", "hexi-2"), ("g4", "hedong-1"), ("g5", "nanguan-1")] {
            secrets[gate] = try await fixture.store.registerGate(gate, checkpoint: checkpoint, at: base).secret
        }
        return (fixture, secrets)
    }

    func close() async {
        await store.close()
        if let directory { try? FileManager.default.removeItem(at: directory) }
    }

    static let logger: Logger = {
        var logger = Logger(label: "central-store-tests")
        logger.logLevel = .warning
        return logger
    }()

    /// A valid record; `minute` is minutes after `base`.
    static func record(gate: String = "g1", epoch: UUID, seq: Int64, minute: Double = 0, decision: Decision = .admit,
                       reason: ReasonCode = .admitted, payload: String? = "CODE-1", celsius: Double? = 36.5,
                       direction: Direction = .in) -> EntryRecord {
        let at = base.addingTimeInterval(minute * 60)
        return EntryRecord(id: UUIDv7.make(at: at), gate: gate, journalEpoch: epoch, seq: seq, occurredAt: at, clockSynced: true,
                           bootID: "6a1d7c1e-2f0b-4c6e-8d1a-0b6f6e0c9a11", monotonicNanos: UInt64(seq) * 1_000_000_000,
                           lane: "lane-1", direction: direction,
                           credential: payload.map { Credential(kind: .code, payload: $0, symbology: .qr) },
                           temperature: celsius.map { TemperatureReading(celsius: $0, kind: .body, raw: $0 * 10, device: "usb:1a86:7523@1-1.2") },
                           decision: decision, reason: reason, policyVersion: "p1")
    }

    /// Records `seqs` of one epoch, one minute apart.
    static func records(gate: String = "g1", epoch: UUID, seqs: [Int64]) -> [EntryRecord] {
        seqs.map { record(gate: gate, epoch: epoch, seq: $0, minute: Double($0)) }
    }

    /// Everything in a time range wide enough for any test.
    static let allTime = TimeRange(from: base.addingTimeInterval(-86_400 * 365), to: base.addingTimeInterval(86_400 * 365))

    /// All entries of a scope (following pages).
    func allEntries(_ scope: PlaceScope?, pageSize: Int = 1_000) async throws -> [StoredEntry] {
        var result: [StoredEntry] = []
        var after: LedgerCursor?
        repeat {
            let page = try await store.entries(LedgerQuery(scope: scope, range: Self.allTime, after: after, limit: pageSize))
            result += page.entries
            after = page.next
        } while after != nil
        return result
    }
}

/// Runs `body` on a fresh store with gates, and closes it whatever happens.
func withStore(_ engine: StoreEngine, _ body: (StoreFixture, [String: String]) async throws -> Void) async throws {
    let (fixture, secrets) = try await StoreFixture.withGates(engine)
    do {
        try await body(fixture, secrets)
    } catch {
        await fixture.close()
        throw error
    }
    await fixture.close()
}
