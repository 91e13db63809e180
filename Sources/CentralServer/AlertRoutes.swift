import Foundation
import CentralStore
import CheckpointCore
import Hummingbird

/// Alerts: fever, refusal, isolation exit, watch-listed, sequence conflict — within the caller's
/// places, payloads masked for roles without `seeIdentity`; acknowledgement with who and when.
struct AlertRoutes {
    let store: any CentralStorage
    let now: @Sendable () -> Date
    var audit: AuditTrail { AuditTrail(store: store, now: now) }

    func register(on group: RouterGroup<CentralRequestContext>) {
        group.get("/v1/alerts", use: list)
        group.post("/v1/alerts/{alert}/acknowledge", use: acknowledge)
    }

    /// `GET /v1/alerts?kind=&decision=&level=&id=&from=&to=&after=&limit=` as JSON (`AlertPage`) or CSV.
    @Sendable func list(_ request: Request, context: CentralRequestContext) async throws -> Response {
        let principal = try context.require(.readAlerts)
        let query = QueryParameters(request)
        let format = try ResponseFormat.negotiate(request, query: query)
        let csv = try CSVExport(query: query)
        var alertQuery = AlertQuery(after: try query.integer("after", in: 0...Int64.max) ?? 0,
                                    range: try query.optionalTimeRange(now: now()),
                                    kinds: try query.enumSet("kind", of: AlertKind.self),
                                    decisions: try query.enumSet("decision", of: Decision.self),
                                    scope: try query.placeScope(),
                                    limit: Int(try query.integer("limit", in: 1...1000) ?? 100))
        return try await adminCall {
            alertQuery.scope = try principal.effectiveScope(alertQuery.scope, in: try await PlaceTree.load(store))
            var page = try await store.alerts(alertQuery)
            page.alerts = PayloadMask.alerts(page.alerts, for: principal)
            switch format {
            case .csv:
                try await audit.record(principal, .export, target: "alerts",
                                       detail: "\(page.alerts.count) alerts; scope \(alertQuery.scope.map { "\($0.level.rawValue) \($0.id)" } ?? "all")")
                return CSVExport.response(csv.alerts(page.alerts), filename: "alerts.csv")
            case .json: return try JSONResponse.make(page)
            }
        }
    }

    /// `POST /v1/alerts/{alert}/acknowledge`: records who acknowledged it and when (the first
    /// acknowledgement stays) → the alert.
    @Sendable func acknowledge(_ request: Request, context: CentralRequestContext) async throws -> Response {
        let principal = try context.require(.acknowledgeAlerts)
        guard let text = context.parameters.get("alert"), let id = Int64(text), id > 0 else {
            throw APIError.badRequest("path parameter `alert` must be a positive integer", code: "invalidParameter")
        }
        return try await adminCall {
            let alert = try await AlertAcknowledgement(store: store, now: now).acknowledge(id, by: principal)
            return try JSONResponse.make(PayloadMask.alerts([alert], for: principal)[0])
        }
    }
}
