import Foundation

/// One thing a request may need to be allowed. Which role has which is `AccessPolicy`.
public enum Permission: String, Sendable, CaseIterable, Hashable {
    case readLedger, readAlerts, acknowledgeAlerts, lookupPassages
    case readGates, manageGates, readPlaces, importPlaces
    case readWatchList, changeWatchList, readQuarantine
    case readAudit, manageAccounts
    /// The visitors' register of the principal's places (names, citizen numbers, addresses: masked
    /// without `seeIdentity`).
    case readRegistrations
    /// Erase one credential's records on request.
    case eraseRecords
    /// The webhook's delivery log (district-wide; it holds no credential payload).
    case readDeliveries
    /// Set the gate profiles of the principal's streets, communities and checkpoints, and upload clips.
    case manageProfiles
    /// See credential payloads unmasked in pages, JSON and CSV.
    case seeIdentity
    /// Open a gate's lane once from the store (a remote-open command to the gate).
    case openGates
}
