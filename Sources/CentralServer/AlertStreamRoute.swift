import CentralStore
import CheckpointCore
import Foundation
import HTTPTypes
import Hummingbird
import ServiceLifecycle

/// `GET /v1/alerts/stream`: alerts as Server-Sent Events for the page (EventSource) and for scripts.
/// Each alert is one `event: alert` with `id:` = its id and `data:` = the `StoredAlert` JSON (masked
/// for roles without `seeIdentity`), limited to the caller's places. Starts after `Last-Event-ID` or
/// `?after=` (0 = from the first alert). A comment line every `keepAlive` keeps proxies from closing
/// it; the stream ends when the client goes, when the server shuts down, or after `maxDuration`
/// (EventSource reconnects by itself, from its last id).
struct AlertStreamRoute {
    let store: any CentralStorage
    let feed: AlertFeed
    var keepAlive: Duration = .seconds(10)
    var maxDuration: TimeInterval = 600

    func register(on group: RouterGroup<CentralRequestContext>) {
        group.get("/v1/alerts/stream", use: stream)
    }

    @Sendable func stream(_ request: Request, context: CentralRequestContext) async throws -> Response {
        let principal = try context.require(.readAlerts)
        var resumeFrom = try QueryParameters(request).integer("after", in: 0...Int64.max) ?? 0
        if let header = request.headers[HTTPField.Name("Last-Event-ID")!], let id = Int64(header), id >= 0 { resumeFrom = id }
        let start = resumeFrom
        let wakes = feed.subscribe(keepAlive: keepAlive)
        let store = self.store, maxDuration = self.maxDuration, logger = context.logger
        let body = ResponseBody { writer in
            let deadline = Date().addingTimeInterval(maxDuration)
            var last = start
            do {
                last = try await Self.send(after: last, for: principal, store: store, to: &writer)
                for await wake in wakes {
                    if Task.isShuttingDownGracefully || Date() > deadline { break }
                    let before = last
                    last = try await Self.send(after: last, for: principal, store: store, to: &writer)
                    if wake == .keepAlive, last == before { try await writer.write(ByteBuffer(string: ": keep-alive\n\n")) }
                }
            } catch {
                logger.debug("alert stream ended", metadata: ["reason": "\(error)"])
            }
            try? await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store",
                                               HTTPField.Name("X-Accel-Buffering")!: "no"],
                        body: body)
    }

    /// Writes every alert after `after` within the principal's places; returns the last id written.
    static func send(after: Int64, for principal: Principal, store: any CentralStorage,
                     to writer: inout some ResponseBodyWriter) async throws -> Int64 {
        var last = after
        while true {
            let page = try await store.alerts(AlertQuery(after: last, scope: principal.scope, limit: 100))
            for alert in PayloadMask.alerts(page.alerts, for: principal) {
                let json = String(decoding: try CheckpointJSON.encoder().encode(alert), as: UTF8.self)
                try await writer.write(ByteBuffer(string: "id: \(alert.id)\nevent: alert\ndata: \(json)\n\n"))
                last = alert.id
            }
            if page.nextAfter == nil { return last }
        }
    }
}
