import CentralServer
import CentralStore
import CheckpointCore
import Foundation
import Testing
import TestSupport

/// Gate-health alerts end to end: a gate's heartbeat over HTTP (or its silence) raises the alert,
/// which reaches an open alert stream (SSE) and the webhook (a real receiver on loopback).
@Suite("Gate-health alerts on the alert stream and the webhook (real server on loopback, SQLite)")
struct GateAlertTests {
    static func heartbeat(_ gate: String, offset: TimeInterval, devices: [DeviceState]) -> Heartbeat {
        Heartbeat(gate: gate, sentAt: Date().addingTimeInterval(-offset), clockSynced: false, bootID: "boot-a", monotonicNanos: 1,
                  journalEpoch: UUID(), lastSeq: 0, backlog: 0, softwareVersion: "1.0", devices: devices)
    }

    @Test("A heartbeat with a faulty thermometer and a clock 5 min behind raises both alerts, on the stream and the webhook")
    func heartbeatAlerts() async throws {
        let receiver = try await WebhookReceiver.start()
        defer { Task { await receiver.stop() } }
        try await ServerHarness.withSQLite(webhook: try WebhookDeliveryTests.configuration(receiver)) { server in
            let reading = Task {
                try await AlertStreamReader.read(server) { $0.kind == .deviceFault }
            }
            let beat = Self.heartbeat("g1", offset: 300, devices: [DeviceState(id: "thermo-1", role: .thermometer, status: .faulty,
                                                                                detail: "no answer")])
            let reply = try await server.send(.POST, "/v1/heartbeat", bearer: server.credentials["g1"],
                                              body: try CheckpointJSON.encoder().encode(beat))
            #expect(reply.status == 200)
            let streamed = try await reading.value
            #expect(streamed.map(\.kind) == [.clockSkew, .deviceFault])
            #expect(streamed.last?.detail == "thermometer thermo-1 faulty: no answer")
            #expect(streamed.allSatisfy { $0.gate == "g1" && $0.decision == nil })
            #expect(await waitUntil(within: .seconds(10)) { receiver.received.count == 2 })
            #expect(receiver.received.map { $0.headers["x-checkpoint-event"] } == ["alert.clockSkew", "alert.deviceFault"])
            // The same state again starts nothing new.
            _ = try await server.send(.POST, "/v1/heartbeat", bearer: server.credentials["g1"],
                                      body: try CheckpointJSON.encoder().encode(beat))
            #expect(try await server.store.alerts(AlertQuery(kinds: [.clockSkew, .deviceFault])).alerts.count == 2)
        }
    }

    @Test("A gate that stays silent past the limit appears on the alert stream as gateSilent; a revoked gate does not")
    func silentGate() async throws {
        let rules = GateAlertRules(silentAfter: 2, clockOffsetBound: 60, faultStatuses: [.faulty])
        try await ServerHarness.withSQLite { server in
            // g1 is revoked (never silent) before the watch starts; g2 says nothing after its registration.
            // (Contact ending a silence is GateAlertConformanceTests' business: here load would decide.)
            try await server.store.revokeGate("g1", at: Date())
            let watch = Task {
                try await GateWatchService(store: server.store, rules: rules, feed: server.alertFeed, interval: .milliseconds(200),
                                           logger: ServerHarness.quietLogger).run()
            }
            defer { watch.cancel() }
            let streamed = try await AlertStreamReader.read(server) { $0.kind == .gateSilent }
            #expect(streamed.last?.kind == .gateSilent)
            #expect(streamed.last?.gate == "g2")
            #expect(streamed.last?.detail.hasPrefix("no heartbeat or ingest for") == true)
            #expect(!streamed.contains { $0.kind == .gateSilent && $0.gate == "g1" })
        }
    }
}
