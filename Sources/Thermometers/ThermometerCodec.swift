/// One result of decoding device bytes: a raw value (before scaling) or a rejection.
public enum DecodedItem: Sendable, Hashable {
    /// The device's own number, e.g. 3650 for 36.50 °C at scale 0.01.
    case raw(Double)
    case rejected(Rejection)
}

/// The framing of one thermometer protocol family, sans I/O: bytes in, raw values and rejections
/// out, plus the commands a runner must send. Implementations keep their own receive buffer and
/// resynchronise on garbage; they never block, sleep or touch a file descriptor.
public protocol ThermometerCodec: Sendable {
    /// Bytes to send once after the port opens (e.g. select a measuring mode); empty if none.
    var setupCommand: [UInt8] { get }
    /// The request for one reading; nil if the device prints readings on its own.
    var pollCommand: [UInt8]? { get }
    /// Appends received bytes and returns what they complete, in order.
    mutating func decode(_ bytes: [UInt8]) -> [DecodedItem]
    /// Bytes received but not yet part of a complete frame.
    var pendingByteCount: Int { get }
    /// Drops everything pending (at a timeout, a silence or a lost port) and says what it was:
    /// a started frame is `truncated` (with `why`), an unreported run of skipped bytes `garbage`.
    mutating func flush(_ why: String) -> [Rejection]
}
