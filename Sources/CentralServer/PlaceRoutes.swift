import Foundation
import CentralStore
import Hummingbird

/// The places as data: street office → community → checkpoint → gate.
struct PlaceRoutes {
    /// A directory of a whole city fits easily (≈ 200 bytes per place).
    static let maxPlacesBodyBytes = 8 * 1024 * 1024

    let store: any CentralStorage

    func register(on group: RouterGroup<CentralRequestContext>) {
        group.get("/v1/places", use: list)
        group.post("/v1/places", use: importPlaces)
    }

    /// `GET /v1/places`: the directory, cut down to the caller's places (with the places above them).
    @Sendable func list(_ request: Request, context: CentralRequestContext) async throws -> Response {
        let principal = try context.require(.readPlaces)
        return try await adminCall { try JSONResponse.make(try await PlaceTree.load(store).restricted(to: principal.scope)) }
    }

    /// `POST /v1/places`: inserts or updates every place listed (others untouched), atomically;
    /// replies with the whole directory afterwards.
    @Sendable func importPlaces(_ request: Request, context: CentralRequestContext) async throws -> Response {
        _ = try context.require(.importPlaces)
        let directory = try await RequestBodyReader.decodeStrictJSON(PlaceDirectory.self, from: request, limit: Self.maxPlacesBodyBytes)
        return try await adminCall {
            try await store.upsertPlaces(directory)
            context.logger.notice("places imported", metadata: ["streets": "\(directory.streets.count)"])
            return try JSONResponse.make(try await store.places())
        }
    }
}
