/// Something that reads the journal by itself (the uplink) and only needs to hear that entries
/// were committed. The entry path calls `journalAdvanced()` after each commit; the follower pulls
/// what is new from the journal, so nothing it needs travels in the call and a missed call is
/// made up by its next cycle.
public protocol JournalFollower: Sendable {
    /// New entries were committed. Must return at once (never blocks the entry path).
    func journalAdvanced()
}
