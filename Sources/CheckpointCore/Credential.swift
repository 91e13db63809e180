/// How a credential reached the gate.
public enum CredentialKind: String, Codable, Sendable, CaseIterable, Hashable {
    /// A scanned QR code or barcode.
    case code
    /// Entered by the person on duty (no scannable code); `EntryRecord.recordedBy` says who.
    case manual
    /// A resident ID card read by an ID reader: the payload is the keyed hash of the citizen
    /// number (HMAC-SHA256 with the district key, lower-case hex), never the number itself.
    case idCard
}

/// Bar code symbologies, named by what AIM / ISO 15424 identifiers (`]Q1`, `]E0` …) denote.
/// Raw values are the wire and database spelling.
public enum Symbology: String, Codable, Sendable, CaseIterable, Hashable {
    case qr
    case microQR
    case dataMatrix
    case pdf417
    case aztec
    case ean13
    case ean8
    case upcA
    case upcE
    case code128
    case gs1_128
    case code39
    case code93
    case codabar
    case interleaved2of5
    case unknown
}

/// The credential of one entry: what was scanned, read from an ID card, or recorded by hand.
public struct Credential: Codable, Sendable, Hashable {
    public var kind: CredentialKind
    /// The decoded text of the code, at most `FieldLimits.maxCredentialPayloadBytes` UTF-8 bytes
    /// (for `idCard`: the keyed hash of the citizen number).
    public var payload: String
    /// `unknown` for an ID card.
    public var symbology: Symbology
    /// `idCard` only: the last 4 characters of the citizen number, for the person on duty.
    public var lastFour: String?
    /// `idCard` only: the card's last valid day, `YYYYMMDD`; nil for a card valid without end (长期).
    public var validUntil: String?
    /// `idCard` only, and only until the policy decides: what a visitor's registration records.
    /// The gate keeps it in the entry only when the entry is a registration (`visitorRegistration`).
    public var registration: Registration?

    public init(kind: CredentialKind, payload: String, symbology: Symbology, lastFour: String? = nil,
                validUntil: String? = nil, registration: Registration? = nil) {
        self.kind = kind
        self.payload = payload
        self.symbology = symbology
        self.lastFour = lastFour
        self.validUntil = validUntil
        self.registration = registration
    }
}
