import Foundation

/// How long each kind of record is kept, in days; nil = kept until erased. Applied by
/// `CentralStorage.purge(_:now:)`, which the server runs on a schedule (see docs/privacy.md).
public struct RetentionPolicy: Codable, Sendable, Hashable {
    /// Ledger entries, by `occurredAt`.
    public var entryDays: Int?
    /// Alerts, by `raisedAt`.
    public var alertDays: Int?
    /// Quarantined records (raw as received), by arrival.
    public var quarantineDays: Int?
    /// The audit log, by the time of the action; longer than the data it speaks about.
    public var auditDays: Int?

    public init(entryDays: Int? = 180, alertDays: Int? = 180, quarantineDays: Int? = 30, auditDays: Int? = 730) {
        self.entryDays = entryDays
        self.alertDays = alertDays
        self.quarantineDays = quarantineDays
        self.auditDays = auditDays
    }

    /// The defaults: entries and alerts 180 days, quarantine 30 days, audit 730 days.
    public static let standard = RetentionPolicy()
}
