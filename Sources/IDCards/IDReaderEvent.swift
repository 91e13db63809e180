/// What an ID reader session reports to whoever runs it.
public enum IDReaderEvent: Sendable, Hashable {
    /// A card was read: one event per presentation of a card (held cards are not read again).
    case card(IDCard)
    /// The card that was read left the reader (`removeAfterPolls` "no card" answers in a row).
    case cardRemoved
    /// Bytes or a card text that did not become a card, with why.
    case rejected(IDCardRejection)
    /// A cycle stopped before the card was read (select or read failed or timed out; typically the
    /// card was taken away): no card event; the next poll starts over.
    case interrupted(SAMCommand, SAMStatus?)
    /// The reader's state changed.
    case readerState(IDReaderState)
    /// A request went unanswered; `willRetry` says whether it is sent again.
    case timedOut(SAMCommand, attempt: Int, willRetry: Bool)
}

/// Everything a session wants done after one input: frames to write (in order) and events. The
/// runner also re-arms its timer at the session's `nextDeadline`.
public struct IDReaderOutput: Sendable, Hashable {
    public var send: [[UInt8]] = []
    public var events: [IDReaderEvent] = []
    public init() {}
}
