/// Size limits shared by the gate and the central store, so that the store never refuses for size
/// what a gate has journaled. A gate rejects (and counts) input beyond these before it decides.
public enum FieldLimits {
    /// UTF-8 bytes of a credential payload. A version 40 QR code holds at most 2,953 bytes.
    public static let maxCredentialPayloadBytes = 3_000
    /// A registration's name, address or host (UTF-8 bytes; the card's address is at most 35 characters).
    public static let maxRegistrationFieldBytes = 256
    /// Gate, lane and checkpoint identifiers: 1…64 of `A–Z a–z 0–9 . _ -`.
    public static let maxIdentifierBytes = 64
    /// UTF-8 bytes of a device identity (e.g. a by-id path or `usb:1a86:7523@1-1.2`).
    public static let maxDeviceIDBytes = 256
    /// UTF-8 bytes of a policy version string.
    public static let maxPolicyVersionBytes = 64
    /// UTF-8 bytes of `recordedBy` on a manual entry.
    public static let maxRecordedByBytes = 64
    /// Records in one ingest batch.
    public static let maxRecordsPerBatch = 500
    /// Bytes of one ingest request body (JSON).
    public static let maxIngestBodyBytes = 4 * 1024 * 1024
    /// A plausible °C for any temperature field on the wire; beyond it a record is malformed.
    public static let celsiusWireRange: ClosedRange<Double> = -60...150

    /// True if `s` is a valid gate / lane / checkpoint identifier.
    public static func isValidIdentifier(_ s: String) -> Bool {
        let utf8 = s.utf8
        guard (1...maxIdentifierBytes).contains(utf8.count) else { return false }
        return utf8.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
                || c == 0x2E || c == 0x5F || c == 0x2D
        }
    }
}
