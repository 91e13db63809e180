/// The read cycle's timing, from an ID reader model's `[protocol]` table (read by DeviceFamilies):
///
///     pollMs = 250            # one find-card request every pollMs (4 Hz)
///     timeoutMs = 500         # a status / find / select request unanswered this long is retried
///     readTimeoutMs = 3000    # how long a base-info read may take (RF read + 1295 bytes)
///     retries = 2             # retries of an unanswered request before the reader counts as unresponsive
///     removeAfterPolls = 2    # consecutive "no card" answers before a card counts as taken away
public struct IDReaderParameters: Sendable, Hashable {
    /// Interval between find-card polls, ms (50…10,000).
    public var pollMs: Int
    /// Reply timeout of the short commands, ms (10…60,000).
    public var timeoutMs: Int
    /// Reply timeout of the base-info read, ms (100…60,000).
    public var readTimeoutMs: Int
    /// Retries after a timeout (0…10).
    public var retries: Int
    /// "No card" answers in a row that end a card's presence (1…20): a card held on the reader
    /// through one missed poll is not read twice.
    public var removeAfterPolls: Int

    public init(pollMs: Int = 250, timeoutMs: Int = 500, readTimeoutMs: Int = 3000, retries: Int = 2, removeAfterPolls: Int = 2) {
        self.pollMs = pollMs
        self.timeoutMs = timeoutMs
        self.readTimeoutMs = readTimeoutMs
        self.retries = retries
        self.removeAfterPolls = removeAfterPolls
    }
}
