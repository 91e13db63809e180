import CheckpointCore

/// What a payload must satisfy to become a `Scan`: a maximum length, the model's encoding, and no
/// control characters except the allowed ones. A payload that fails is rejected with its reason,
/// never truncated.
public struct PayloadRules: Sendable, Hashable {
    /// Bytes as received and UTF-8 bytes after decoding, each at most this. Defaults to (and may
    /// not exceed) `FieldLimits.maxCredentialPayloadBytes`, so the store never refuses a record for size.
    public var maxBytes: Int
    public var encoding: ScanTextEncoding
    /// Control characters (C0 / DEL / C1 scalar values) that may appear, e.g. GS (0x1D), which
    /// GS1 codes use as a field separator.
    public var allowedControlCharacters: Set<UInt32>

    public init(maxBytes: Int = FieldLimits.maxCredentialPayloadBytes, encoding: ScanTextEncoding = .utf8,
                allowedControlCharacters: Set<UInt32> = [0x1D]) {
        self.maxBytes = min(max(1, maxBytes), FieldLimits.maxCredentialPayloadBytes)
        self.encoding = encoding
        self.allowedControlCharacters = allowedControlCharacters
    }

    /// Turns a payload (prefix, AIM identifier and suffix already removed) into a scan or a rejection.
    /// `symbology` is used when `aim` is nil (e.g. a HID POS vendor code id).
    public func evaluate(payload: [UInt8], aim: AIMIdentifier?, symbology: Symbology? = nil,
                         device: String) -> ScanOutcome {
        func reject(_ reason: ScanRejectionReason) -> ScanOutcome {
            .rejected(ScanRejection(reason: reason, device: device, bytes: payload))
        }
        if payload.isEmpty { return reject(.empty) }
        if payload.count > maxBytes { return reject(.tooLong(bytes: payload.count, limit: maxBytes)) }
        let text: String
        switch encoding.decode(payload) {
        case .success(let s): text = s
        case .failure(let f): return reject(.invalidEncoding(encoding: encoding.rawValue, offset: f.offset))
        }
        let utf8Count = text.utf8.count
        if utf8Count > maxBytes { return reject(.tooLong(bytes: utf8Count, limit: maxBytes)) }
        for (offset, scalar) in text.unicodeScalars.enumerated() where Self.isControl(scalar.value) {
            if !allowedControlCharacters.contains(scalar.value) {
                return reject(.controlCharacter(scalar: scalar.value, offset: offset))
            }
        }
        let resolved = aim?.symbology ?? symbology ?? .unknown
        return .scan(Scan(bytes: payload, text: text, symbology: resolved, aimID: aim?.description, device: device))
    }

    /// C0 controls, DEL and C1 controls.
    public static func isControl(_ v: UInt32) -> Bool { v < 0x20 || (v >= 0x7F && v <= 0x9F) }
}
