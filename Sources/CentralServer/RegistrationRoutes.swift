import CentralStore
import Foundation
import Hummingbird

/// The visitors' register (外来人员登记表): `GET /v1/registrations?from=&to=&level=&id=&limit=` as
/// JSON (`RegistrationsResponse`) or CSV, limited to the caller's places like the ledgers; names,
/// citizen numbers, addresses and hosts masked for roles without `seeIdentity` (`PayloadMask`); a
/// CSV export is audited.
struct RegistrationRoutes {
    let store: any CentralStorage
    let now: @Sendable () -> Date

    func register(on group: RouterGroup<CentralRequestContext>) {
        group.get("/v1/registrations", use: list)
    }

    @Sendable func list(_ request: Request, context: CentralRequestContext) async throws -> Response {
        let principal = try context.require(.readRegistrations)
        let query = QueryParameters(request)
        let format = try ResponseFormat.negotiate(request, query: query)
        let csv = try CSVExport(query: query)
        let range = try query.optionalTimeRange(now: now())
        let limit = Int(try query.integer("limit", in: 1...5000) ?? 5000)
        let requested = try query.placeScope()
        return try await adminCall {
            let scope = try principal.effectiveScope(requested, in: try await PlaceTree.load(store))
            let rows = PayloadMask.registrations(try await store.registrations(range: range, scope: scope, limit: limit), for: principal)
            switch format {
            case .csv:
                try await AuditTrail(store: store, now: now).record(principal, .export, target: "registrations",
                                                                   detail: "\(rows.count) registrations")
                return CSVExport.response(csv.registrations(rows), filename: "registrations.csv")
            case .json: return try JSONResponse.make(RegistrationsResponse(registrations: rows))
            }
        }
    }
}

/// The body of `GET /v1/registrations`.
public struct RegistrationsResponse: Codable, Sendable, Hashable {
    public var registrations: [StoredRegistration]
    public init(registrations: [StoredRegistration]) { self.registrations = registrations }
}
