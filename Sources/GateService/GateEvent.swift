import CheckpointCore

/// What the devices tell the gate. `device` is the `[[device]]` id from the configuration (the
/// lanes name their scanners and thermometer by it). `receivedAt` is when the event came off its
/// device, on the gate's monotonic clock (CLOCK_BOOTTIME, `MonotonicClock`); nil means
/// "now" (the time the gate processes it). Pairing uses it, so an event that waited in a queue is
/// judged by when it happened.
public enum GateEvent: Sendable, Hashable {
    /// A decoded scan (after the scanner's own duplicate-scan window).
    case scan(device: String, Scan, receivedAt: Duration? = nil)
    /// An ID card read, as a credential of kind `idCard` (keyed hash, never the number).
    case card(device: String, Credential, receivedAt: Duration? = nil)
    /// A temperature reading (°C after both calibration offsets).
    case reading(device: String, TemperatureReading, receivedAt: Duration? = nil)
    /// A device became usable (`true`: opened, re-attached, or read again) or went away / turned
    /// faulty (`false`).
    case deviceAvailability(device: String, available: Bool, receivedAt: Duration? = nil)
    /// A scanner's input that did not become a scan, by `ScanRejectionReason.code`; counted. When
    /// `asksForRescan` (an unreadable or cut-off code, not mere noise) the lane shows red and asks
    /// the person to scan again.
    case scanRejected(device: String, reason: String, asksForRescan: Bool = true, receivedAt: Duration? = nil)
}
