import CheckpointCore

/// A decided entry before the journal gives it its identity: the journal adds `id` (UUIDv7),
/// `gate`, `journalEpoch` and the next `seq` in the same transaction that stores it, and keeps
/// `content` as it is.
public struct EntryDraft: Sendable, Hashable {
    /// The clocks at the decision: the record's `occurredAt` (to the millisecond), `clockSynced`,
    /// `bootID` and `monotonicNanos`.
    public var clock: ClockFacts
    public var content: EntryContent

    public init(clock: ClockFacts, content: EntryContent) {
        self.clock = clock
        self.content = content
    }
}
