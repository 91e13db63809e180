import CheckpointCore

/// A scan and/or a reading that the pairing judged to belong to one person, ready for the policy.
public struct PairedEntry: Sendable, Hashable {
    /// Absent for a reading no scan claimed within the window.
    public var credential: Credential?
    /// Absent when no usable reading arrived in time (or the lane has no working thermometer).
    public var reading: TemperatureReading?
    /// False when the lane's thermometer was absent or faulty when the scan arrived.
    public var thermometerAvailable: Bool
    /// Monotonic time (since boot) at which the pairing completed.
    public var pairedAt: Duration
    /// Set when the pairing cannot tell whose reading this is (or whether the scan's own reading
    /// ever came): why, in words. The policy refers such an entry (`pairingUncertain`), whatever
    /// the temperature says; it never admits on it.
    public var uncertainty: String?

    public init(credential: Credential?, reading: TemperatureReading?, thermometerAvailable: Bool, pairedAt: Duration,
                uncertainty: String? = nil) {
        self.credential = credential
        self.reading = reading
        self.thermometerAvailable = thermometerAvailable
        self.pairedAt = pairedAt
        self.uncertainty = uncertainty
    }
}
