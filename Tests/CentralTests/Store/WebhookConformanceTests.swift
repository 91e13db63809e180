import CentralStore
import CheckpointCore
import Foundation
import Testing

/// The webhook's delivery log on SQLite and PostgreSQL: queueing, due deliveries, attempts, erasure.
@Suite("Central store conformance: webhook delivery log (SQLite and PostgreSQL)")
struct WebhookConformanceTests {
    typealias F = StoreFixture
    static let url = "http://127.0.0.1:9/hook"

    static func fever(_ seq: Int64, payload: String) -> EntryRecord {
        F.record(epoch: UUID(uuidString: "0191a7c0-0000-7000-8000-000000000001")!, seq: seq, minute: Double(seq),
                 decision: .refer, reason: .fever, payload: payload, celsius: 38.5)
    }

    @Test("A new endpoint starts after the newest alert; later alerts are queued once each, due at once", arguments: StoreEngine.allCases)
    func queueing(engine: StoreEngine) async throws {
        try await withStore(engine) { f, _ in
            _ = try await f.store.ingest(gate: "g1", records: [Self.fever(1, payload: "OLD-1")], receivedAt: F.base)
            #expect(try await f.store.enqueueWebhookDeliveries(url: Self.url, kinds: nil, at: F.base) == 0)
            _ = try await f.store.ingest(gate: "g1", records: [Self.fever(2, payload: "NEW-2")], receivedAt: F.base.addingTimeInterval(60))
            #expect(try await f.store.enqueueWebhookDeliveries(url: Self.url, kinds: nil, at: F.base.addingTimeInterval(61)) == 1)
            #expect(try await f.store.enqueueWebhookDeliveries(url: Self.url, kinds: nil, at: F.base.addingTimeInterval(62)) == 0)
            let due = try await f.store.dueWebhookDeliveries(url: Self.url, now: F.base.addingTimeInterval(61), limit: 10)
            #expect(due.map { $0.alert?.credentialPayload } == ["NEW-2"])
            #expect(due.first?.delivery.status == .pending)
            #expect(due.first?.delivery.attempts == 0)
            #expect(try await f.store.nextWebhookAttempt(url: Self.url) == F.base.addingTimeInterval(61))
            #expect(try await f.store.dueWebhookDeliveries(url: "http://other.example/hook", now: F.base.addingTimeInterval(61), limit: 10).isEmpty)
        }
    }

    @Test("Only the kinds asked for are queued", arguments: StoreEngine.allCases)
    func kinds(engine: StoreEngine) async throws {
        try await withStore(engine) { f, _ in
            _ = try await f.store.enqueueWebhookDeliveries(url: Self.url, kinds: [.fever], at: F.base)
            let epoch = UUID()
            let refusal = F.record(epoch: epoch, seq: 1, minute: 1, decision: .refuse, reason: .codeDenied, payload: "DENIED-1")
            _ = try await f.store.ingest(gate: "g1", records: [refusal, Self.fever(3, payload: "HOT-3")], receivedAt: F.base)
            #expect(try await f.store.enqueueWebhookDeliveries(url: Self.url, kinds: [.fever], at: F.base) == 1)
            let log = try await f.store.webhookDeliveries(before: nil, status: nil, limit: 10)
            #expect(log.map(\.alertKind) == [.fever])
        }
    }

    @Test("A failed attempt with a retry time stays pending until then; delivered is final; giving up is failed", arguments: StoreEngine.allCases)
    func attempts(engine: StoreEngine) async throws {
        try await withStore(engine) { f, _ in
            _ = try await f.store.enqueueWebhookDeliveries(url: Self.url, kinds: nil, at: F.base)
            _ = try await f.store.ingest(gate: "g1", records: [Self.fever(1, payload: "A-1"), Self.fever(2, payload: "B-2")], receivedAt: F.base)
            #expect(try await f.store.enqueueWebhookDeliveries(url: Self.url, kinds: nil, at: F.base) == 2)
            let due = try await f.store.dueWebhookDeliveries(url: Self.url, now: F.base, limit: 10).map(\.delivery.id)
            #expect(due.count == 2)
            let retryAt = F.base.addingTimeInterval(30)
            try await f.store.recordWebhookAttempt(due[0], .failed(statusCode: 500, error: "HTTP 500", retryAt: retryAt), at: F.base)
            try await f.store.recordWebhookAttempt(due[1], .failed(statusCode: nil, error: String(repeating: "e", count: 500), retryAt: nil),
                                                   at: F.base)
            #expect(try await f.store.dueWebhookDeliveries(url: Self.url, now: F.base.addingTimeInterval(29), limit: 10).isEmpty)
            #expect(try await f.store.dueWebhookDeliveries(url: Self.url, now: retryAt, limit: 10).map(\.delivery.id) == [due[0]])
            try await f.store.recordWebhookAttempt(due[0], .delivered(statusCode: 204), at: retryAt)
            // A late answer to an earlier attempt does not turn a delivered row back.
            try await f.store.recordWebhookAttempt(due[0], .failed(statusCode: 500, error: "late", retryAt: retryAt), at: retryAt)
            let log = try await f.store.webhookDeliveries(before: nil, status: nil, limit: 10)
            #expect(log.map(\.id) == [due[1], due[0]])
            #expect(log[1].status == .delivered)
            #expect(log[1].attempts == 2)
            #expect(log[1].lastStatusCode == 204)
            #expect(log[1].deliveredAt == retryAt)
            #expect(log[1].lastError == nil)
            #expect(log[0].status == .failed)
            #expect(log[0].lastStatusCode == nil)
            #expect(log[0].lastError?.utf8.count == 200)
            #expect(try await f.store.webhookDeliveries(before: nil, status: .failed, limit: 10).map(\.id) == [due[1]])
            #expect(try await f.store.webhookDeliveries(before: due[1], status: nil, limit: 10).map(\.id) == [due[0]])
            #expect(try await f.store.nextWebhookAttempt(url: Self.url) == nil)
            await #expect(throws: CentralStoreError.notFound("webhook delivery 999")) {
                try await f.store.recordWebhookAttempt(999, .delivered(statusCode: 200), at: retryAt)
            }
        }
    }

    @Test("A pending delivery whose alert was erased comes due without its alert; the log keeps no payload", arguments: StoreEngine.allCases)
    func erasure(engine: StoreEngine) async throws {
        try await withStore(engine) { f, _ in
            _ = try await f.store.enqueueWebhookDeliveries(url: Self.url, kinds: nil, at: F.base)
            _ = try await f.store.ingest(gate: "g1", records: [Self.fever(1, payload: "ERASE-ME-1")], receivedAt: F.base)
            #expect(try await f.store.enqueueWebhookDeliveries(url: Self.url, kinds: nil, at: F.base) == 1)
            _ = try await f.store.eraseCredential("ERASE-ME-1", at: F.base)
            let due = try await f.store.dueWebhookDeliveries(url: Self.url, now: F.base, limit: 10)
            #expect(due.count == 1)
            #expect(due.first?.alert == nil)
        }
    }

    @Test("The purge deletes delivery log rows as old as the alerts it deletes", arguments: StoreEngine.allCases)
    func purge(engine: StoreEngine) async throws {
        try await withStore(engine) { f, _ in
            _ = try await f.store.enqueueWebhookDeliveries(url: Self.url, kinds: nil, at: F.base)
            _ = try await f.store.ingest(gate: "g1", records: [Self.fever(1, payload: "P-1")], receivedAt: F.base)
            _ = try await f.store.enqueueWebhookDeliveries(url: Self.url, kinds: nil, at: F.base)
            let policy = RetentionPolicy(entryDays: nil, alertDays: 5, quarantineDays: nil, auditDays: nil)
            _ = try await f.store.purge(policy, now: F.base.addingTimeInterval(4 * 86_400))
            #expect(try await f.store.webhookDeliveries(before: nil, status: nil, limit: 10).count == 1)
            _ = try await f.store.purge(policy, now: F.base.addingTimeInterval(6 * 86_400))
            #expect(try await f.store.webhookDeliveries(before: nil, status: nil, limit: 10).isEmpty)
        }
    }
}
