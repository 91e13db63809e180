import CheckpointCore
import Foundation
import Hummingbird
import Logging
import NIOCore

/// A real HTTP receiver on 127.0.0.1 (port 0) for webhook tests: it records every `POST /hook`
/// (headers, body, arrival) and answers each with the next status of its script (200 once the
/// script is used up).
final class WebhookReceiver: Sendable {
    struct Received: Sendable {
        var headers: [String: String]
        var body: [UInt8]
        var at: ContinuousClock.Instant
    }

    private let state: Mutex<(received: [Received], script: [Int])>
    let port: Int
    private let task: Task<Void, any Error>

    var url: URL { URL(string: "http://127.0.0.1:\(port)/hook")! }
    var received: [Received] { state.withLock { $0.received } }

    private init(state: Mutex<(received: [Received], script: [Int])>, port: Int, task: Task<Void, any Error>) {
        self.state = state
        self.port = port
        self.task = task
    }

    /// Starts a receiver answering its first requests with `script` (e.g. `[500]`: one 500, then 200s).
    static func start(script: [Int] = []) async throws -> WebhookReceiver {
        let state = Mutex<(received: [Received], script: [Int])>(([], script))
        let router = Router()
        router.post("/hook") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            let status = state.withLock { state -> Int in
                state.received.append(Received(headers: headers, body: Array(body.readableBytesView), at: ContinuousClock.now))
                return state.script.isEmpty ? 200 : state.script.removeFirst()
            }
            return Response(status: .init(code: status))
        }
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let application = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                                      onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) },
                                      logger: Logger(label: "webhook-receiver", factory: { _ in SwiftLogNoOpLogHandler() }))
        let task = Task {
            defer { continuation.finish() }
            try await application.run()
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            try await task.value
            throw ServerTestFailure("webhook receiver stopped before listening")
        }
        return WebhookReceiver(state: state, port: port, task: task)
    }

    func stop() async {
        task.cancel()
        _ = try? await task.value
    }
}
