import CentralServer
import CentralStore
import CheckpointCore
import Crypto
import Foundation
import Testing
import TestSupport

/// The district's alert webhook end to end: a real server (SQLite) ingests over HTTP, its
/// `WebhookService` posts to a real receiver on loopback, the delivery log is read over HTTP.
@Suite("Alert webhook: signed, retried, logged (real server and receiver on loopback)")
struct WebhookDeliveryTests {
    static let key = Array("district-webhook-key-0123456789abcdef".utf8)

    static func configuration(_ receiver: WebhookReceiver, kinds: Set<AlertKind>? = nil, maxAttempts: Int = 5,
                              initialDelay: TimeInterval = 0.2) throws -> WebhookConfiguration {
        try WebhookConfiguration(url: receiver.url, key: key, kinds: kinds,
                                 retry: WebhookRetryPolicy(initialDelay: initialDelay, maximumDelay: 5, maxAttempts: maxAttempts),
                                 pollInterval: .milliseconds(50), timeout: .seconds(5))
    }

    /// Ingests one record of `gate` g1 (seq `seq`) that raises an alert of `reason`'s kind.
    static func ingestAlert(_ server: ServerHarness, epoch: UUID, seq: Int64, reason: ReasonCode = .fever,
                            payload: String = "HC-PERSON-0001") async throws {
        let decision: Decision = reason == .fever ? .refer : .refuse
        let record = Fixtures.record(gate: "g1", epoch: epoch, seq: seq, payload: payload, celsius: reason == .fever ? 38.6 : 36.5,
                                     decision: decision, reason: reason)
        #expect(try await server.ingest(IngestBatch(gate: "g1", records: [record]), as: "g1").status == 200)
    }

    static func log(_ server: ServerHarness, query: String = "") async throws -> [WebhookDelivery] {
        let reply = try await server.send(.GET, "/v1/webhook/deliveries" + query, bearer: ServerHarness.adminToken)
        #expect(reply.status == 200)
        struct Page: Decodable { var deliveries: [WebhookDelivery] }
        return try reply.decode(Page.self).deliveries
    }

    /// Waits (polling the log over HTTP) until `condition` holds for the log.
    static func waitForLog(_ server: ServerHarness, within timeout: Duration = .seconds(60),
                           _ condition: @escaping ([WebhookDelivery]) -> Bool) async throws -> [WebhookDelivery] {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var log = try await Self.log(server)
        while !condition(log), clock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
            log = try await Self.log(server)
        }
        return log
    }

    /// The HMAC-SHA256 of `<timestamp>.<body>`, computed here independently of the server's code.
    static func expectedSignature(_ received: WebhookReceiver.Received) -> String? {
        guard let timestamp = received.headers["x-checkpoint-timestamp"] else { return nil }
        let mac = HMAC<SHA256>.authenticationCode(for: Array("\(timestamp).".utf8) + received.body, using: SymmetricKey(data: key))
        return "v1=" + mac.map { String(format: "%02x", $0) }.joined()
    }

    struct Body: Decodable {
        var delivery: Int64
        var alert: StoredAlert
    }

    @Test("A fever alert reaches the receiver as signed JSON whose HMAC the receiver verifies with the district key, payload masked")
    func signedDelivery() async throws {
        let receiver = try await WebhookReceiver.start()
        defer { Task { await receiver.stop() } }
        try await ServerHarness.withSQLite(webhook: try Self.configuration(receiver)) { server in
            try await Self.ingestAlert(server, epoch: UUID(), seq: 1)
            #expect(await waitUntil(within: .seconds(10)) { receiver.received.count == 1 })
            let request = try #require(receiver.received.first)
            let signature = try #require(request.headers["x-checkpoint-signature"])
            #expect(signature == Self.expectedSignature(request))
            let timestamp = try #require(request.headers["x-checkpoint-timestamp"].flatMap { Double($0) })
            #expect(abs(timestamp - Date().timeIntervalSince1970) < 60)
            #expect(request.headers["content-type"] == "application/json")
            #expect(request.headers["x-checkpoint-event"] == "alert.fever")
            let body = try CheckpointJSON.decoder().decode(Body.self, from: Data(request.body))
            #expect(request.headers["x-checkpoint-delivery"] == String(body.delivery))
            #expect(body.alert.kind == .fever)
            #expect(body.alert.celsius == 38.6)
            #expect(body.alert.credentialPayload == "HC***01")
            // A body altered in transit no longer matches the signature.
            var tampered = request
            tampered.body[tampered.body.count - 2] ^= 1
            #expect(Self.expectedSignature(tampered) != signature)

            let log = try await Self.waitForLog(server) { $0.first?.status == .delivered }
            #expect(log.count == 1)
            #expect(log.first?.id == body.delivery)
            #expect(log.first?.attempts == 1)
            #expect(log.first?.lastStatusCode == 200)
            #expect(log.first?.alertKind == .fever)
        }
    }

    @Test("A delivery answered 500 is retried after the backoff delay, then delivered, and never sent again after success")
    func retryAfterServerError() async throws {
        let receiver = try await WebhookReceiver.start(script: [500])
        defer { Task { await receiver.stop() } }
        try await ServerHarness.withSQLite(webhook: try Self.configuration(receiver, initialDelay: 0.3)) { server in
            let epoch = UUID()
            try await Self.ingestAlert(server, epoch: epoch, seq: 1)
            let first = try await Self.waitForLog(server) { $0.first?.status == .delivered }
            #expect(first.first?.attempts == 2)
            #expect(first.first?.lastStatusCode == 200)
            #expect(first.first?.lastError == nil)
            let requests = receiver.received
            #expect(requests.count == 2)
            #expect(Set(requests.compactMap { $0.headers["x-checkpoint-delivery"] }) == [String(first[0].id)])
            if requests.count == 2 {
                #expect(requests[1].at - requests[0].at >= .milliseconds(300), "the retry waited for the backoff delay")
                #expect(requests[1].headers["x-checkpoint-signature"] == Self.expectedSignature(requests[1]))
            }
            // A second alert delivered after it proves later rounds ran: the first was not sent again.
            try await Self.ingestAlert(server, epoch: epoch, seq: 2, payload: "HC-PERSON-0002")
            let both = try await Self.waitForLog(server) { $0.count == 2 && $0.allSatisfy { $0.status == .delivered } }
            #expect(both.map(\.attempts) == [1, 2])
            let perDelivery = Dictionary(grouping: receiver.received, by: { $0.headers["x-checkpoint-delivery"] ?? "" }).mapValues(\.count)
            #expect(perDelivery == [String(both[1].id): 2, String(both[0].id): 1])
        }
    }

    @Test("A delivery that keeps failing is given up after the last attempt and logged as failed with the last status")
    func givenUp() async throws {
        let receiver = try await WebhookReceiver.start(script: [503, 503, 503, 503])
        defer { Task { await receiver.stop() } }
        try await ServerHarness.withSQLite(webhook: try Self.configuration(receiver, maxAttempts: 3, initialDelay: 0.05)) { server in
            try await Self.ingestAlert(server, epoch: UUID(), seq: 1)
            let log = try await Self.waitForLog(server) { $0.first?.status == .failed }
            #expect(log.first?.status == .failed)
            #expect(log.first?.attempts == 3)
            #expect(log.first?.lastStatusCode == 503)
            #expect(log.first?.lastError == "HTTP 503")
            #expect(receiver.received.count == 3)
            #expect(try await Self.log(server, query: "?status=failed").map(\.id) == log.map(\.id))
            #expect(try await Self.log(server, query: "?status=delivered").isEmpty)
        }
    }

    @Test("Only the configured alert kinds are forwarded")
    func onlyConfiguredKinds() async throws {
        let receiver = try await WebhookReceiver.start()
        defer { Task { await receiver.stop() } }
        try await ServerHarness.withSQLite(webhook: try Self.configuration(receiver, kinds: [.fever])) { server in
            let epoch = UUID()
            try await Self.ingestAlert(server, epoch: epoch, seq: 1, reason: .codeDenied)
            try await Self.ingestAlert(server, epoch: epoch, seq: 2, reason: .fever)
            let log = try await Self.waitForLog(server) { $0.first?.status == .delivered }
            #expect(log.map(\.alertKind) == [.fever])
            #expect(receiver.received.map { $0.headers["x-checkpoint-event"] } == ["alert.fever"])
        }
    }

    @Test("The page shows the delivery log to a district admin; a community clerk gets 403 and no link to it")
    func page() async throws {
        let receiver = try await WebhookReceiver.start()
        defer { Task { await receiver.stop() } }
        try await ServerHarness.withSQLite(webhook: try Self.configuration(receiver)) { server in
            let hasher = PasswordHasher(cost: 4)
            try await server.store.createAccount(Account(username: "zhao.admin", displayName: "赵", role: .districtAdmin, scope: nil,
                                                         createdAt: Date()), passwordHash: try await hasher.hash(SignInTests.password))
            try await server.store.createAccount(Account(username: "li.ming", displayName: "李明", role: .community,
                                                         scope: PlaceScope(level: .community, id: "c1"), createdAt: Date()),
                                                 passwordHash: try await hasher.hash(SignInTests.password))
            try await Self.ingestAlert(server, epoch: UUID(), seq: 1)
            let log = try await Self.waitForLog(server) { $0.first?.status == .delivered }
            let delivery = try #require(log.first)
            func session(_ username: String) async throws -> String {
                let reply = try await SignInTests.signIn(server, username: username, password: SignInTests.password)
                return String(try #require(reply.cookie(SessionCookie.name)).split(separator: ";")[0])
            }
            let admin = try await session("zhao.admin")
            let shown = try await SignInTests.request(server, .GET, "/ui/webhook?lang=en", cookies: [admin])
            #expect(shown.status == 200)
            #expect(shown.text.contains(#"id="webhook-endpoint">\#(receiver.url.absoluteString)<"#))
            #expect(shown.text.contains(#"<tr id="delivery-\#(delivery.id)" class="delivery-delivered">"#))
            #expect(shown.text.contains(#"id="nav-webhook""#))
            let clerk = try await session("li.ming")
            #expect(try await SignInTests.request(server, .GET, "/ui/webhook", cookies: [clerk]).status == 403)
            #expect(try await SignInTests.request(server, .GET, "/ui", cookies: [clerk]).text.contains("nav-webhook") == false)
        }
    }

    @Test("The delivery log refuses a bad status filter with 400")
    func badFilter() async throws {
        try await ServerHarness.withSQLite { server in
            let reply = try await server.send(.GET, "/v1/webhook/deliveries?status=lost", bearer: ServerHarness.adminToken)
            #expect(reply.status == 400)
        }
    }

    @Test("A webhook URL that is not http(s) and a key shorter than 32 bytes are refused")
    func badConfiguration() throws {
        #expect(throws: WebhookConfigurationError.self) {
            try WebhookConfiguration(url: URL(string: "ftp://example.org/hook")!, key: Self.key)
        }
        #expect(throws: WebhookConfigurationError.self) {
            try WebhookConfiguration(url: URL(string: "https://example.org/hook")!, key: Array("short".utf8))
        }
    }

    @Test("The retry delay doubles from the initial delay up to the maximum, and the last attempt gives up")
    func backoff() {
        let policy = WebhookRetryPolicy(initialDelay: 10, maximumDelay: 60, maxAttempts: 5)
        #expect((1...5).map { policy.baseDelay(afterAttempts: $0) } == [10, 20, 40, 60, 60])
        let now = Date(timeIntervalSince1970: 1_000)
        #expect(policy.retryAt(afterAttempts: 2, now: now, jitter: 0.1) == now.addingTimeInterval(22))
        #expect(policy.retryAt(afterAttempts: 5, now: now) == nil)
    }
}
