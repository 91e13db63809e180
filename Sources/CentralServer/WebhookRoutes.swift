import CentralStore
import CheckpointCore
import Foundation
import Hummingbird

/// The webhook's delivery log, newest first, for roles with `readDeliveries`: as JSON
/// (`GET /v1/webhook/deliveries?status=&before=&limit=`) and on the page (`/ui/webhook`).
struct WebhookRoutes {
    let store: any CentralStorage
    /// The configured endpoint, shown on the page; nil when no webhook is configured.
    let endpoint: URL?

    /// One page of the log: `nextBefore` is the cursor for older deliveries (nil at the oldest).
    struct LogPage: Codable, Sendable {
        var deliveries: [WebhookDelivery]
        var nextBefore: Int64?
    }

    func register(api group: RouterGroup<CentralRequestContext>) {
        group.get("/v1/webhook/deliveries", use: list)
    }

    func register(pages: RouterGroup<CentralRequestContext>, assets: WebAssets) {
        pages.get("/ui/webhook", use: { request, context in try await self.show(request, context: context, assets: assets) })
    }

    func logPage(_ request: Request, context: CentralRequestContext) async throws -> LogPage {
        _ = try context.require(.readDeliveries)
        let query = QueryParameters(request)
        let limit = Int(try query.integer("limit", in: 1...1000) ?? 100)
        let before = try query.integer("before", in: 1...Int64.max)
        let status = try query.enumSet("status", of: WebhookDelivery.Status.self)
        guard (status?.count ?? 0) <= 1 else {
            throw APIError.badRequest("`status` takes one value", code: "invalidParameter")
        }
        let deliveries = try await adminCall {
            try await store.webhookDeliveries(before: before, status: status?.first, limit: limit + 1)
        }
        return LogPage(deliveries: Array(deliveries.prefix(limit)), nextBefore: deliveries.count > limit ? deliveries[limit - 1].id : nil)
    }

    @Sendable func list(_ request: Request, context: CentralRequestContext) async throws -> Response {
        try JSONResponse.make(try await logPage(request, context: context))
    }

    func show(_ request: Request, context: CentralRequestContext, assets: WebAssets) async throws -> Response {
        let principal = try context.require(.readDeliveries)
        let log = try await logPage(request, context: context)
        let page = WebPage(assets: assets, request: request)
        var values = page.context("webhook", principal: principal)
        values["endpoint"] = endpoint?.absoluteString ?? ""
        values["configured"] = endpoint != nil
        values["rows"] = log.deliveries.map { delivery -> [String: Any] in
            ["id": delivery.id, "alert": delivery.alertID, "kind": page.text[delivery.alertKind.rawValue] ?? delivery.alertKind.rawValue,
             "status": delivery.status.rawValue, "statusName": page.text["delivery." + delivery.status.rawValue] ?? delivery.status.rawValue,
             "attempts": delivery.attempts, "created": WebPage.local(delivery.createdAt),
             "lastAttempt": delivery.lastAttemptAt.map(WebPage.local) ?? "—", "next": delivery.nextAttemptAt.map(WebPage.local) ?? "—",
             "code": delivery.lastStatusCode.map(String.init) ?? "—", "error": delivery.lastError ?? ""]
        }
        if let next = log.nextBefore { values["older"] = "/ui/webhook?before=\(next)" }
        return page.html("webhook", values)
    }
}
