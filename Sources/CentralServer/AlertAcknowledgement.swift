import CentralStore
import Foundation

/// Acknowledging an alert, shared by the API and the page: the alert's gate must lie under the
/// caller's places (an alert elsewhere is 404, like one that does not exist), then who and when are
/// stored and audited.
struct AlertAcknowledgement: Sendable {
    let store: any CentralStorage
    let now: @Sendable () -> Date

    func acknowledge(_ id: Int64, by principal: Principal) async throws -> StoredAlert {
        let tree = try await PlaceTree.load(store)
        let visible = try await store.alerts(AlertQuery(after: id - 1, scope: principal.scope, limit: 1)).alerts.first
        guard let alert = visible, alert.id == id, tree.contains(principal.scope, PlaceScope(level: .gate, id: alert.gate)) else {
            throw APIError.notFound("no alert \(id) among your places")
        }
        let acknowledged = try await store.acknowledgeAlert(id, by: principal.actor, at: now())
        try await AuditTrail(store: store, now: now).record(principal, .alertAcknowledge, target: "alert \(id)",
                                                           detail: "\(alert.kind.rawValue) at gate \(alert.gate)")
        return acknowledged
    }
}
