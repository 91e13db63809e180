import GateService

/// One thing a device told the gate, as the inbox queues it (docs/gate.md).
public enum DeviceReport: Sendable, Hashable {
    /// An event for the gate as it is (scans, cards, readings, a scanner or reader opening or
    /// closing, a rejected scan).
    case event(GateEvent)
    /// A device went missing; `detail` says why ("no answer", "port lost", …) in heartbeats.
    /// `receivedAt`: CLOCK_BOOTTIME, as `GateEvent`.
    case lost(device: String, detail: String, receivedAt: Duration)
    /// Input of a device that was rejected and is only counted (a thermometer's bad frame), by reason.
    case rejected(device: String, reason: String)
}
