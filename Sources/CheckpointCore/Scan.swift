/// One code read by a scanner, after framing and decoding, before any policy.
public struct Scan: Sendable, Hashable {
    /// The payload bytes exactly as the device delivered them (after prefix/suffix/AIM id removal).
    public var bytes: [UInt8]
    /// The payload decoded to text with the model's encoding (UTF-8 or GBK).
    public var text: String
    public var symbology: Symbology
    /// The AIM / ISO 15424 identifier if the device sent one (e.g. `]Q1`).
    public var aimID: String?
    /// Identity of the scanner.
    public var device: String

    public init(bytes: [UInt8], text: String, symbology: Symbology, aimID: String?, device: String) {
        self.bytes = bytes
        self.text = text
        self.symbology = symbology
        self.aimID = aimID
        self.device = device
    }

    /// The credential this scan presents.
    public var credential: Credential { Credential(kind: .code, payload: text, symbology: symbology) }
}
