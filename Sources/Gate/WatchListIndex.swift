import CheckpointCore
import Foundation

/// Turns a credential payload into its district digest (`hmac-sha256:` + 64 hex; docs/contracts.md §13).
public typealias CredentialDigest = @Sendable (String) -> String

/// The gate's local copy of the central watch list, enforced offline: credential payload →
/// entry, at a version. Apply each `WatchListDelta` in order; persist it with the journal.
public struct WatchListIndex: Sendable, Hashable {
    public private(set) var version: Int64
    public private(set) var entries: [String: WatchListEntry]

    public init(version: Int64 = 0, entries: [WatchListEntry] = []) {
        self.version = version
        self.entries = Dictionary(entries.map { ($0.credential, $0) }, uniquingKeysWith: { a, b in a.version >= b.version ? a : b })
    }

    /// The entry for `payload` if one applies at `now` (`validUntil` not yet passed). An entry is
    /// found by the payload itself or, in a keyed list, by `digest(payload)` (the district digest).
    public func lookup(_ payload: String, digest: CredentialDigest? = nil, at now: Date) -> WatchListEntry? {
        guard let e = entries[payload] ?? digest.flatMap({ entries[$0(payload)] }) else { return nil }
        if let until = e.validUntil, now >= until { return nil }
        return e
    }

    /// Applies a delta; a `full` delta replaces the whole list. A delta older than the current
    /// version is ignored (returns false).
    @discardableResult
    public mutating func apply(_ delta: WatchListDelta) -> Bool {
        if delta.full {
            entries = [:]
        } else if delta.version < version {
            return false
        }
        for r in delta.removals { entries[r] = nil }
        for e in delta.upserts { entries[e.credential] = e }
        version = delta.version
        return true
    }
}
