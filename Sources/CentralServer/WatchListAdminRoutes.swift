import CentralStore
import CheckpointCore
import Foundation
import Hummingbird

/// Administration of the isolation / five-colour watch list that gates fetch with `GET /v1/watchlist`.
struct WatchListAdminRoutes {
    let store: any CentralStorage
    let now: @Sendable () -> Date
    var audit: AuditTrail { AuditTrail(store: store, now: now) }

    func register(on group: RouterGroup<CentralRequestContext>) {
        group.get("/v1/watchlist/entries", use: list)
        group.post("/v1/watchlist/entries", use: change)
    }

    /// `GET /v1/watchlist/entries`: every current entry and the version.
    @Sendable func list(_ request: Request, context: CentralRequestContext) async throws -> Response {
        _ = try context.require(.readWatchList)
        return try await adminCall {
            let delta = try await store.watchListDelta(since: 0)
            return try JSONResponse.make(WatchListEntries(version: delta.version, entries: delta.upserts))
        }
    }

    /// `POST /v1/watchlist/entries`: upserts first (one version), then removals (one more version);
    /// replies with the whole list afterwards.
    @Sendable func change(_ request: Request, context: CentralRequestContext) async throws -> Response {
        let principal = try context.require(.changeWatchList)
        let update = try await RequestBodyReader.decodeStrictJSON(WatchListUpdate.self, from: request,
                                                            limit: PlaceRoutes.maxPlacesBodyBytes)
        return try await adminCall {
            if !update.upserts.isEmpty { _ = try await store.upsertWatchList(update.upserts, at: now()) }
            if !update.removals.isEmpty { _ = try await store.removeFromWatchList(update.removals, at: now()) }
            try await audit.record(principal, .watchListChange, target: "watch list",
                                   detail: "\(update.upserts.count) upserts, \(update.removals.count) removals")
            context.logger.notice("watch list changed", metadata: [
                "upserts": "\(update.upserts.count)", "removals": "\(update.removals.count)",
            ])
            let delta = try await store.watchListDelta(since: 0)
            return try JSONResponse.make(WatchListEntries(version: delta.version, entries: delta.upserts))
        }
    }
}
