import Foundation

/// What one retention purge or one erasure deleted, per kind (row counts).
public struct PurgeReport: Codable, Sendable, Hashable {
    public var entries: Int64
    public var alerts: Int64
    public var quarantine: Int64
    public var audit: Int64
    /// Expired sessions and webhook delivery log rows as old as purged alerts (purge), or watch-list
    /// entries (erasure).
    public var other: Int64

    public init(entries: Int64 = 0, alerts: Int64 = 0, quarantine: Int64 = 0, audit: Int64 = 0, other: Int64 = 0) {
        self.entries = entries
        self.alerts = alerts
        self.quarantine = quarantine
        self.audit = audit
        self.other = other
    }

    public var total: Int64 { entries + alerts + quarantine + audit + other }
}
