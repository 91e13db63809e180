import Foundation

/// One thing a request may need to be allowed. Which role has which is `AccessPolicy`.
public enum Permission: String, Sendable, CaseIterable, Hashable {
    case readLedger, readAlerts, acknowledgeAlerts, lookupPassages
    case readGates, manageGates, readPlaces, importPlaces
    case readWatchList, changeWatchList, readQuarantine
    case readAudit, manageAccounts
    /// The visitors' register (names, citizen numbers, addresses), district-wide.
    case readRegistrations
    /// Erase one credential's records on request.
    case eraseRecords
    /// The webhook's delivery log (district-wide; it holds no credential payload).
    case readDeliveries
    /// See credential payloads unmasked in pages, JSON and CSV.
    case seeIdentity
}
