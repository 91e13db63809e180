import CheckpointCore
import CredentialDigest

/// What the store does with credential payloads when it holds the district key (`serve
/// --district-key-file`; docs/privacy.md):
/// - gates receive the watch list as keyed digests, without the free-text reasons;
/// - with `keepDigestsOnly`, ledgers keep a digest instead of the payload: counting and finding the
///   same code again work (a lookup or an erasure by code is digested first), the code itself is
///   not in the database and cannot be made from it without the key.
public struct CredentialPrivacy: Sendable {
    /// nil: the store has no district key; payloads are stored and sent as scanned.
    public var digester: CredentialDigester?
    /// Ledgers keep digests only (needs `digester`).
    public var keepDigestsOnly: Bool

    public init(digester: CredentialDigester? = nil, keepDigestsOnly: Bool = false) {
        self.digester = digester
        self.keepDigestsOnly = keepDigestsOnly && digester != nil
    }

    /// Payloads as scanned, nothing keyed.
    public static let plain = CredentialPrivacy()

    /// The form in which the ledgers store (and are searched for) `payload`.
    public func stored(_ payload: String) -> String {
        guard keepDigestsOnly, let digester else { return payload }
        return digester.digest(payload)
    }

    /// `records` as the ledgers keep them (payloads digested when `keepDigestsOnly`).
    public func stored(_ records: [EntryRecord]) -> [EntryRecord] {
        guard keepDigestsOnly else { return records }
        return records.map { record in
            var r = record
            if let payload = r.credential?.payload { r.credential?.payload = stored(payload) }
            return r
        }
    }

    /// `delta` as a gate receives it: with the district key every credential (upserts and
    /// removals) is a digest and no reason leaves the store; `keyed` says so.
    public func forGates(_ delta: WatchListDelta) -> WatchListDelta {
        guard let digester else { return delta }
        var d = delta
        d.upserts = delta.upserts.map { e in
            var entry = e
            entry.credential = digester.digest(e.credential)
            entry.reason = ""
            return entry
        }
        d.removals = delta.removals.map(digester.digest)
        d.keyed = true
        return d
    }
}
