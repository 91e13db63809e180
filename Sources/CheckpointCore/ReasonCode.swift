/// Why a gate decided what it decided. One enumeration for the journal, ingest, ledgers, alerts and
/// the horn's configuration (reason → announcement). Raw values are the wire and database spelling:
/// never rename a case; add new ones at the end.
public enum ReasonCode: String, Codable, Sendable, CaseIterable, Hashable {
    /// Code valid, temperature normal (or not required by policy).
    case admitted
    /// Body temperature at or above the policy's fever threshold.
    case fever
    /// A reading outside the policy's plausible-body range: measure again.
    case temperatureOutOfRange
    /// A scan with no usable reading within the pairing window.
    case noReading
    /// The lane's thermometer is absent or faulty: a person must measure.
    case thermometerMissing
    /// The code matched no credential rule.
    case codeUnrecognized
    /// The code is on a deny list or classified as denied by a rule.
    case codeDenied
    /// The credential is on the central watch list with a colour that refuses or refers.
    case watchListed
    /// A person under home isolation tried to leave.
    case isolationExit
    /// The lane's scanner is absent or faulty.
    case scannerFault
    /// The person on duty opened the gate by hand.
    case manualOpen
    /// The person on duty recorded an entry by hand (no scannable code); `EntryRecord.recordedBy` says who.
    case manualEntry
    /// A reading arrived with no scan: the person must show a code.
    case noCredential
    /// The gate could not tell whose reading it was (two people's scans waiting on one reading, or
    /// a reading from before a device was re-attached): refer, never admit on it.
    case pairingUncertain
    /// An ID card past its validity.
    case cardExpired
    /// A visitor's ID card (no resident): the person on duty registers the visit.
    case visitorRegistration
    /// A door event, not an entry (docs/contracts.md §3): the lane's door contact opened without a
    /// release by the relay within the window. Journaled and forwarded; the store raises a
    /// `doorForced` alert and keeps it out of the ledgers.
    case doorForced
    /// A door event, not an entry: the lane's door stayed open longer than configured.
    case doorHeldOpen

    /// A door event (the door contact's alerts), not a person's entry: never in the ledgers.
    public var isDoorEvent: Bool { self == .doorForced || self == .doorHeldOpen }
}
