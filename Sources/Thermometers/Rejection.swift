import CheckpointCore

/// Why bytes from a thermometer did not become a reading. Every rejection is counted (per
/// reason) and logged by whoever runs the session; none is silently dropped.
public typealias Rejection = CountedRejection<ThermometerRejectionReason>

/// The reasons of `Rejection`.
public enum ThermometerRejectionReason: String, RejectionReason {
    /// Bytes skipped while looking for the start of a frame.
    case garbage
    /// A frame whose additive checksum does not match.
    case badChecksum
    /// A Modbus frame whose CRC-16 does not match.
    case badCRC
    /// A frame cut short: the request timed out with part of a frame received.
    case truncated
    /// A well-formed frame whose value lies outside the model's sensor range.
    case outOfRange
    /// A frame with the right framing but impossible content (e.g. hundredths ≥ 100).
    case malformed
    /// The device answered in another mode than the one configured (LU90614 body/object).
    case unexpectedMode
    /// A Modbus exception response.
    case exception
    /// A text line longer than the family allows.
    case lineTooLong
    /// A text line that does not match the model's pattern.
    case patternMismatch
    /// A well-formed reply that answers no request sent on this open of the port (it arrived
    /// before the first request, or after its request had timed out for good): it may measure
    /// someone who has left, so it never becomes a reading.
    case stale
    /// A partial frame followed by a silence longer than `interByteGapMs`: noise or a frame
    /// cut off; discarded so it cannot merge with the next one.
    case interrupted
}
