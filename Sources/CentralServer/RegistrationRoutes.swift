import CentralStore
import Foundation
import Hummingbird

/// The visitors' register (外来人员登记表): `GET /v1/registrations?from=&to=&limit=` as JSON
/// (`RegistrationsResponse`) or CSV. Administrator token only; it carries names, citizen numbers
/// and addresses.
struct RegistrationRoutes {
    let store: any CentralStorage
    let now: @Sendable () -> Date

    func register(on group: RouterGroup<CentralRequestContext>) {
        group.get("/v1/registrations", use: list)
    }

    @Sendable func list(_ request: Request, context: CentralRequestContext) async throws -> Response {
        let query = QueryParameters(request)
        let format = try ResponseFormat.negotiate(request, query: query)
        let csv = try CSVExport(query: query)
        let range = try query.optionalTimeRange(now: now())
        let limit = Int(try query.integer("limit", in: 1...5000) ?? 5000)
        return try await adminCall {
            let rows = try await store.registrations(range: range, limit: limit)
            switch format {
            case .csv: return CSVExport.response(csv.registrations(rows), filename: "registrations.csv")
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
