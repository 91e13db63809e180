import CheckpointCore

/// Why bytes from an ID reader, or a card's text, did not become a card read. Every rejection is
/// counted by reason and logged (without any card content) by whoever runs the session.
public typealias IDCardRejection = CountedRejection<IDCardRejectionReason>

/// The reasons of `IDCardRejection`.
public enum IDCardRejectionReason: String, RejectionReason {
    /// Bytes skipped while looking for the preamble.
    case garbage
    /// A frame whose XOR checksum does not match.
    case badChecksum
    /// A header whose length is impossible (shorter than a response, longer than any frame).
    case badLength
    /// A frame cut short (a timeout or a lost port with part of a frame received).
    case truncated
    /// A response nobody asked for (no request outstanding).
    case unsolicited
    /// A base-info response whose data is not laid out as text + photo lengths and blocks.
    case malformedData
    /// Text that is not valid UCS-2 little-endian, or a field with impossible content.
    case malformedField
    /// A date field that is not a real YYYYMMDD date.
    case badDate
    /// A citizen number whose ISO 7064 MOD 11-2 check character does not match.
    case badCheckDigit
}
