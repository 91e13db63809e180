import Foundation
import CentralStore
import CheckpointCore
import Hummingbird

/// Alerts: fever, refusal, isolation exit, watch-listed, sequence conflict.
struct AlertRoutes {
    let store: any CentralStorage
    let now: @Sendable () -> Date

    func register(on group: RouterGroup<CentralRequestContext>) {
        group.get("/v1/alerts", use: list)
    }

    /// `GET /v1/alerts?kind=&decision=&level=&id=&from=&to=&after=&limit=` as JSON (`AlertPage`) or CSV.
    @Sendable func list(_ request: Request, context: CentralRequestContext) async throws -> Response {
        let query = QueryParameters(request)
        let format = try ResponseFormat.negotiate(request, query: query)
        let csv = try CSVExport(query: query)
        let alertQuery = AlertQuery(after: try query.integer("after", in: 0...Int64.max) ?? 0,
                                    range: try query.optionalTimeRange(now: now()),
                                    kinds: try query.enumSet("kind", of: AlertKind.self),
                                    decisions: try query.enumSet("decision", of: Decision.self),
                                    scope: try query.placeScope(),
                                    limit: Int(try query.integer("limit", in: 1...1000) ?? 100))
        return try await adminCall {
            let page = try await store.alerts(alertQuery)
            switch format {
            case .csv: return CSVExport.response(csv.alerts(page.alerts), filename: "alerts.csv")
            case .json: return try JSONResponse.make(page)
            }
        }
    }
}
