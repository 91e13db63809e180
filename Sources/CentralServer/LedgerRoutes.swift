import CentralStore
import CheckpointCore
import Foundation
import Hummingbird

/// The ledgers (street / community / checkpoint / gate over a time range, with counts per hour
/// and per decision), the tracing question (passages of one credential) and quarantine, each as
/// JSON or CSV (`?format=csv` or `Accept: text/csv`).
struct LedgerRoutes {
    let store: any CentralStorage
    let now: @Sendable () -> Date

    func register(on group: RouterGroup<CentralRequestContext>) {
        group.get("/v1/ledgers/{level}/{id}", use: ledger)
        group.get("/v1/ledgers/{level}/{id}/hourly", use: hourly)
        group.get("/v1/passages", use: passages)
        group.get("/v1/quarantine", use: quarantine)
    }

    /// `GET /v1/ledgers/{level}/{id}?from=&to=&decision=&after=&limit=`: JSON = totals, hourly
    /// counts and one page of entries; CSV = every entry of the range (from `after`), streamed.
    @Sendable func ledger(_ request: Request, context: CentralRequestContext) async throws -> Response {
        let query = QueryParameters(request)
        let scope = try scopeParameter(context)
        let format = try ResponseFormat.negotiate(request, query: query)
        let csv = try CSVExport(query: query)
        let range = try query.timeRange(now: now())
        let decisions = try query.enumSet("decision", of: Decision.self)
        let limit = Int(try query.integer("limit", in: 1...5000) ?? 500)
        var after: LedgerCursor?
        if let text = query.string("after") {
            guard let cursor = LedgerCursor(text) else {
                throw APIError.badRequest("query parameter `after` is not a cursor returned as `next`", code: "invalidParameter")
            }
            after = cursor
        }
        return try await adminCall {
            switch format {
            case .csv:
                let store = self.store
                let first = try await store.entries(LedgerQuery(scope: scope, range: range, decisions: decisions,
                                                                after: after, limit: CSVExport.pageSize))
                return csv.entries(first: first.entries, next: first.next,
                                                           filename: filename(scope, range, "entries"), context: context) { cursor in
                    try await store.entries(LedgerQuery(scope: scope, range: range, decisions: decisions,
                                                         after: cursor, limit: CSVExport.pageSize))
                }
            case .json:
                let page = try await store.entries(LedgerQuery(scope: scope, range: range, decisions: decisions,
                                                               after: after, limit: limit))
                let counts = try await store.hourlyCounts(scope: scope, range: range)
                return try JSONResponse.make(LedgerResponse(scope: scope, range: range, hourly: HourlyRow.rows(from: counts),
                                                            entries: page.entries, next: page.next?.description))
            }
        }
    }

    /// `GET /v1/ledgers/{level}/{id}/hourly?from=&to=`: entries per UTC hour and decision.
    @Sendable func hourly(_ request: Request, context: CentralRequestContext) async throws -> Response {
        let query = QueryParameters(request)
        let scope = try scopeParameter(context)
        let format = try ResponseFormat.negotiate(request, query: query)
        let csv = try CSVExport(query: query)
        let range = try query.timeRange(now: now())
        return try await adminCall {
            let rows = HourlyRow.rows(from: try await store.hourlyCounts(scope: scope, range: range))
            switch format {
            case .csv: return CSVExport.response(csv.hourly(rows), filename: filename(scope, range, "hourly"))
            case .json: return try JSONResponse.make(rows)
            }
        }
    }

    /// `GET /v1/passages?payload=&from=&to=&limit=`: every passage of one credential, at any gate.
    @Sendable func passages(_ request: Request, context: CentralRequestContext) async throws -> Response {
        let query = QueryParameters(request)
        let payload = try query.requiredString("payload")
        guard payload.utf8.count <= FieldLimits.maxCredentialPayloadBytes else {
            throw APIError.badRequest("`payload` longer than \(FieldLimits.maxCredentialPayloadBytes) bytes", code: "invalidParameter")
        }
        let format = try ResponseFormat.negotiate(request, query: query)
        let csv = try CSVExport(query: query)
        let range = try query.optionalTimeRange(now: now())
        let limit = Int(try query.integer("limit", in: 1...5000) ?? 5000)
        return try await adminCall {
            let passages = try await store.passages(credentialPayload: payload, range: range, limit: limit)
            switch format {
            case .csv: return csv.entries(passages, filename: "passages.csv")
            case .json: return try JSONResponse.make(PassagesResponse(payload: payload, passages: passages))
            }
        }
    }

    /// `GET /v1/quarantine?gate=&limit=`: records kept aside with their reasons, newest first.
    @Sendable func quarantine(_ request: Request, context: CentralRequestContext) async throws -> Response {
        let query = QueryParameters(request)
        let gate = query.string("gate")
        if let gate, !FieldLimits.isValidIdentifier(gate) {
            throw APIError.badRequest("query parameter `gate` is not a valid identifier", code: "invalidParameter")
        }
        let limit = Int(try query.integer("limit", in: 1...1000) ?? 100)
        return try await adminCall { try JSONResponse.make(try await store.quarantined(gate: gate, limit: limit)) }
    }

    func scopeParameter(_ context: CentralRequestContext) throws -> PlaceScope {
        try QueryParameters.scope(level: context.parameters.get("level") ?? "", id: context.parameters.get("id") ?? "")
    }

    func filename(_ scope: PlaceScope, _ range: TimeRange, _ kind: String) -> String {
        let day = String(CheckpointJSON.formatTimestamp(range.from).prefix(10))
        return "ledger-\(scope.level.rawValue)-\(scope.id)-\(day)-\(kind).csv"
    }
}
