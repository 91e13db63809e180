/// How a credential reached the gate.
public enum CredentialKind: String, Codable, Sendable, CaseIterable, Hashable {
    /// A scanned QR code or barcode.
    case code
    /// Entered by the person on duty (no scannable code); `EntryRecord.recordedBy` says who.
    case manual
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

/// The credential of one entry: what was scanned (or recorded by hand).
public struct Credential: Codable, Sendable, Hashable {
    public var kind: CredentialKind
    /// The decoded text of the code, at most `FieldLimits.maxCredentialPayloadBytes` UTF-8 bytes.
    public var payload: String
    public var symbology: Symbology

    public init(kind: CredentialKind, payload: String, symbology: Symbology) {
        self.kind = kind
        self.payload = payload
        self.symbology = symbology
    }
}
