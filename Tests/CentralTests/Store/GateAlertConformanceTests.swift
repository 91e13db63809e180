import CentralStore
import CheckpointCore
import Foundation
import Testing

/// Alerts raised by gates' health — silent, clock offset, device fault — on SQLite and PostgreSQL.
@Suite("Central store conformance: gate-health alerts (SQLite and PostgreSQL)")
struct GateAlertConformanceTests {
    typealias F = StoreFixture
    static let rules = GateAlertRules(silentAfter: 600, clockOffsetBound: 60, faultStatuses: [.faulty, .missing])

    /// A heartbeat of `gate` received at `at`, whose gate clock is `offset` seconds behind.
    static func beat(_ gate: String = "g1", at: Date, offset: TimeInterval = 0.5,
                     devices: [DeviceState] = [DeviceState(id: "thermo-1", role: .thermometer, status: .ok)]) -> Heartbeat {
        Heartbeat(gate: gate, sentAt: at.addingTimeInterval(-offset), clockSynced: true, bootID: "boot-a", monotonicNanos: 1,
                  journalEpoch: UUID(uuidString: "0191a7c0-0000-7000-8000-000000000009")!, lastSeq: 0, backlog: 0,
                  softwareVersion: "1.0", devices: devices)
    }

    static func alerts(_ f: StoreFixture, _ kind: AlertKind) async throws -> [StoredAlert] {
        try await f.store.alerts(AlertQuery(kinds: [kind], limit: 100)).alerts
    }

    @Test("A clock offset raises one alert each time it crosses the bound, none while it stays beyond",
          arguments: StoreEngine.allCases)
    func clockOffset(engine: StoreEngine) async throws {
        try await withStore(engine) { f, _ in
            let offsets: [TimeInterval] = [1, 95, 120, 2, -75]
            var raised: [Int] = []
            for (i, offset) in offsets.enumerated() {
                let at = F.base.addingTimeInterval(Double(i) * 30)
                raised.append(try await f.store.recordHeartbeat(gate: "g1", Self.beat(at: at, offset: offset), receivedAt: at,
                                                                rules: Self.rules).alertsRaised)
            }
            #expect(raised == [0, 1, 0, 0, 1])
            let found = try await Self.alerts(f, .clockSkew)
            #expect(found.map(\.raisedAt) == [F.base.addingTimeInterval(30), F.base.addingTimeInterval(120)])
            #expect(found.first?.detail.contains("+95.0 s") == true)
            #expect(found.last?.detail.contains("-75.0 s") == true)
            let first = try #require(found.first)
            #expect(first.gate == "g1")
            #expect(first.occurredAt == first.raisedAt)
            #expect(first.journalEpoch == nil)
            #expect(first.seq == nil)
            #expect(first.entryID == nil)
            #expect(first.decision == nil)
            #expect(first.reason == nil)
            #expect(first.credentialPayload == nil)
        }
    }

    @Test("The first heartbeat beyond the bound raises an alert; without rules a heartbeat raises none", arguments: StoreEngine.allCases)
    func firstHeartbeatAndNoRules(engine: StoreEngine) async throws {
        try await withStore(engine) { f, _ in
            _ = try await f.store.recordHeartbeat(gate: "g2", Self.beat("g2", at: F.base, offset: 300), receivedAt: F.base)
            #expect(try await Self.alerts(f, .clockSkew).isEmpty)
            let recorded = try await f.store.recordHeartbeat(gate: "g1", Self.beat(at: F.base, offset: 300), receivedAt: F.base,
                                                             rules: Self.rules)
            #expect(recorded.alertsRaised == 1)
            #expect(try await Self.alerts(f, .clockSkew).map(\.gate) == ["g1"])
        }
    }

    @Test("A device reported faulty or missing raises one alert per device when it becomes so, again after it recovered",
          arguments: StoreEngine.allCases)
    func deviceFault(engine: StoreEngine) async throws {
        try await withStore(engine) { f, _ in
            let ok = DeviceState(id: "thermo-1", role: .thermometer, status: .ok)
            let faulty = DeviceState(id: "thermo-1", role: .thermometer, status: .faulty, model: "LU90614", detail: "checksum errors")
            let scannerGone = DeviceState(id: "scan-1", role: .scanner, status: .missing)
            let degraded = DeviceState(id: "uplink", role: .uplink, status: .degraded)
            let sequence: [[DeviceState]] = [[ok], [faulty, degraded], [faulty, scannerGone], [ok], [faulty]]
            var raised: [Int] = []
            for (i, devices) in sequence.enumerated() {
                let at = F.base.addingTimeInterval(Double(i) * 30)
                raised.append(try await f.store.recordHeartbeat(gate: "g1", Self.beat(at: at, devices: devices), receivedAt: at,
                                                                rules: Self.rules).alertsRaised)
            }
            #expect(raised == [0, 1, 1, 0, 1])
            let details = try await Self.alerts(f, .deviceFault).map(\.detail)
            #expect(details == ["thermometer thermo-1 faulty (LU90614): checksum errors", "scanner scan-1 missing",
                                "thermometer thermo-1 faulty (LU90614): checksum errors"])
        }
    }

    @Test("A gate silent past the limit raises one alert per silence, ended by contact; revoked and unknown gates are never silent",
          arguments: StoreEngine.allCases)
    func silentGate(engine: StoreEngine) async throws {
        try await withStore(engine) { f, _ in
            // g1…g5 registered at base. g2 heartbeats at +5 min; g3 ingests at +5 min; g5 is revoked.
            _ = try await f.store.recordHeartbeat(gate: "g2", Self.beat("g2", at: F.base.addingTimeInterval(300)),
                                                  receivedAt: F.base.addingTimeInterval(300))
            let record = F.record(gate: "g3", epoch: UUID(), seq: 1, minute: 5)
            _ = try await f.store.ingest(gate: "g3", records: [record], receivedAt: F.base.addingTimeInterval(300))
            try await f.store.revokeGate("g5", at: F.base)
            try await f.store.upsertPlaces(PlaceDirectory(streets: [StreetOffice(id: "wenhua", name: "文化路街道", communities: [
                Community(id: "hexi", name: "河西社区", checkpoints: [
                    CheckpointPlace(id: "hexi-1", name: "河西一号卡点", gates: [GatePlace(id: "g-unregistered")]),
                ]),
            ])]))

            #expect(try await f.store.raiseSilentGateAlerts(silentAfter: 600, now: F.base.addingTimeInterval(540)) == 0)
            #expect(try await f.store.raiseSilentGateAlerts(silentAfter: 600, now: F.base.addingTimeInterval(660)) == 2)
            #expect(try await Self.alerts(f, .gateSilent).map(\.gate).sorted() == ["g1", "g4"])
            // Still silent: nothing new. g2 and g3 fall silent later.
            #expect(try await f.store.raiseSilentGateAlerts(silentAfter: 600, now: F.base.addingTimeInterval(720)) == 0)
            #expect(try await f.store.raiseSilentGateAlerts(silentAfter: 600, now: F.base.addingTimeInterval(960)) == 2)
            // g1 is heard from again, then falls silent once more: a new alert.
            _ = try await f.store.recordHeartbeat(gate: "g1", Self.beat(at: F.base.addingTimeInterval(1000)),
                                                  receivedAt: F.base.addingTimeInterval(1000))
            #expect(try await f.store.raiseSilentGateAlerts(silentAfter: 600, now: F.base.addingTimeInterval(1500)) == 0)
            #expect(try await f.store.raiseSilentGateAlerts(silentAfter: 600, now: F.base.addingTimeInterval(1700)) == 1)
            let silent = try await Self.alerts(f, .gateSilent)
            #expect(silent.map(\.gate) .filter { $0 == "g1" }.count == 2)
            #expect(!silent.contains { $0.gate == "g5" || $0.gate == "g-unregistered" })
            #expect(silent.last?.detail.hasPrefix("no heartbeat or ingest for 11 min") == true)
            // Gate-health alerts are in their gate's place scope like any other.
            let hedong = try await f.store.alerts(AlertQuery(kinds: [.gateSilent], scope: PlaceScope(level: .community, id: "hedong")))
            #expect(hedong.alerts.map(\.gate) == ["g4"])
        }
    }
}
