import CheckpointCore

/// What the devices tell the gate. `device` is the `[[device]]` id from the configuration (the
/// lanes name their scanners and thermometer by it).
public enum GateEvent: Sendable, Hashable {
    /// A decoded scan (after the scanner's own duplicate-scan window).
    case scan(device: String, Scan)
    /// An ID card read, as a credential of kind `idCard` (keyed hash, never the number).
    case card(device: String, Credential)
    /// A temperature reading (°C after both calibration offsets).
    case reading(device: String, TemperatureReading)
    /// A device became usable (`true`) or went away / turned faulty (`false`).
    case deviceAvailability(device: String, available: Bool)
}
