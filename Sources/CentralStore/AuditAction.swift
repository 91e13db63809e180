import Foundation

/// The kinds of event the audit log records. Raw values are the wire and database spelling.
public enum AuditAction: String, Codable, Sendable, CaseIterable, Hashable {
    /// Someone looked up the passages of one credential (target: the payload's keyed digest, never the payload).
    case passageLookup
    /// A ledger, the hourly counts, passages or alerts were exported as CSV (target: what).
    case export
    /// Watch-list entries were added, changed or removed.
    case watchListChange
    /// A gate secret was issued (registration or explicit rotation).
    case secretIssue
    /// A gate was revoked.
    case gateRevoke
    /// An account was created, disabled or its password changed.
    case accountChange
    /// An admin token was created or revoked.
    case tokenChange
    /// An alert was acknowledged.
    case alertAcknowledge
    /// One credential's records were erased on request (target: the payload's digest).
    case erasure
    /// A sign-in succeeded or was refused (detail says which).
    case signIn
    /// A place's gate profile level was set (target: `level/place`, detail: the new version).
    case profileChange
    /// An announcement clip was uploaded (target: its SHA-256).
    case clipUpload
    /// A lane was opened once from the store (target: gate and lane; detail: the command id).
    case remoteOpen
}
