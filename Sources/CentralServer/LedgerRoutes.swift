import CentralStore
import CheckpointCore
import Foundation
import Hummingbird

/// The ledgers (street / community / checkpoint / gate over a time range, with counts per hour
/// and per decision), the tracing question (passages of one credential) and quarantine, each as
/// JSON or CSV (`?format=csv` or `Accept: text/csv`).
///
/// Every route is limited to the caller's places; payloads are masked for roles without
/// `seeIdentity`; every CSV export and every passage lookup is audited before data is sent.
struct LedgerRoutes {
    let store: any CentralStorage
    let now: @Sendable () -> Date
    /// Ledgers kept as digests are searched by the code's digest.
    var privacy: CredentialPrivacy = .plain
    var audit: AuditTrail { AuditTrail(store: store, now: now) }

    func register(on group: RouterGroup<CentralRequestContext>) {
        group.get("/v1/ledgers/{level}/{id}", use: ledger)
        group.get("/v1/ledgers/{level}/{id}/hourly", use: hourly)
        group.get("/v1/passages", use: passages)
        group.get("/v1/quarantine", use: quarantine)
    }

    /// `GET /v1/ledgers/{level}/{id}?from=&to=&decision=&after=&limit=`: JSON = totals, hourly
    /// counts and one page of entries; CSV = every entry of the range (from `after`), streamed.
    @Sendable func ledger(_ request: Request, context: CentralRequestContext) async throws -> Response {
        let principal = try context.require(.readLedger)
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
            try principal.requirePlace(scope, in: try await PlaceTree.load(store))
            switch format {
            case .csv:
                let store = self.store
                let first = try await store.entries(LedgerQuery(scope: scope, range: range, decisions: decisions,
                                                                after: after, limit: CSVExport.pageSize))
                try await audit.record(principal, .export, target: "ledger \(scope.level.rawValue) \(scope.id)",
                                       detail: Self.describe(range))
                return csv.entries(first: PayloadMask.entries(first.entries, for: principal), next: first.next,
                                   filename: filename(scope, range, "entries"), context: context) { cursor in
                    var page = try await store.entries(LedgerQuery(scope: scope, range: range, decisions: decisions,
                                                                   after: cursor, limit: CSVExport.pageSize))
                    page.entries = PayloadMask.entries(page.entries, for: principal)
                    return page
                }
            case .json:
                let page = try await store.entries(LedgerQuery(scope: scope, range: range, decisions: decisions,
                                                               after: after, limit: limit))
                let counts = try await store.hourlyCounts(scope: scope, range: range)
                return try JSONResponse.make(LedgerResponse(scope: scope, range: range, hourly: HourlyRow.rows(from: counts),
                                                            entries: PayloadMask.entries(page.entries, for: principal),
                                                            next: page.next?.description))
            }
        }
    }

    /// `GET /v1/ledgers/{level}/{id}/hourly?from=&to=`: entries per UTC hour and decision.
    @Sendable func hourly(_ request: Request, context: CentralRequestContext) async throws -> Response {
        let principal = try context.require(.readLedger)
        let query = QueryParameters(request)
        let scope = try scopeParameter(context)
        let format = try ResponseFormat.negotiate(request, query: query)
        let csv = try CSVExport(query: query)
        let range = try query.timeRange(now: now())
        return try await adminCall {
            try principal.requirePlace(scope, in: try await PlaceTree.load(store))
            let rows = HourlyRow.rows(from: try await store.hourlyCounts(scope: scope, range: range))
            switch format {
            case .csv:
                try await audit.record(principal, .export, target: "hourly \(scope.level.rawValue) \(scope.id)",
                                       detail: Self.describe(range))
                return CSVExport.response(csv.hourly(rows), filename: filename(scope, range, "hourly"))
            case .json: return try JSONResponse.make(rows)
            }
        }
    }

    /// `GET /v1/passages?payload=&from=&to=&limit=`: every passage of one credential, at any gate.
    @Sendable func passages(_ request: Request, context: CentralRequestContext) async throws -> Response {
        let principal = try context.require(.lookupPassages)
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
            // Recorded before the lookup: the log names the code by a digest, never by the code itself.
            try await audit.record(principal, .passageLookup, target: AuditTrail.credentialTarget(payload),
                                   detail: format == .csv ? "CSV export" : "")
            let passages = try await store.passages(credentialPayload: privacy.stored(payload), range: range, scope: principal.scope,
                                                    limit: limit)
            switch format {
            case .csv: return csv.entries(passages, filename: "passages.csv")
            case .json: return try JSONResponse.make(PassagesResponse(payload: payload, passages: passages))
            }
        }
    }

    /// `GET /v1/quarantine?gate=&limit=`: records kept aside with their reasons, newest first.
    @Sendable func quarantine(_ request: Request, context: CentralRequestContext) async throws -> Response {
        _ = try context.require(.readQuarantine)
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

    static func describe(_ range: TimeRange) -> String {
        "\(CheckpointJSON.formatTimestamp(range.from)) … \(CheckpointJSON.formatTimestamp(range.to))"
    }

    func filename(_ scope: PlaceScope, _ range: TimeRange, _ kind: String) -> String {
        let day = String(CheckpointJSON.formatTimestamp(range.from).prefix(10))
        return "ledger-\(scope.level.rawValue)-\(scope.id)-\(day)-\(kind).csv"
    }
}
