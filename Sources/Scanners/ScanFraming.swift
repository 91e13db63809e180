import CheckpointCore

/// The text a scanner wraps around each payload: `[prefix][AIM id or code id][data][suffix]`.
/// Prefix and suffix are configured on the scanner (catalog / site data); the AIM identifier is
/// present when the scanner is told to send it. Models without AIM identifiers (Grow GM65/GM805)
/// may send the vendor's one-character code id instead (`codeIDs`).
public struct ScanFraming: Sendable, Hashable {
    /// Bytes before the AIM identifier (often empty, sometimes STX 0x02).
    public var prefix: [UInt8]
    /// Bytes that end a scan on a stream transport (serial: usually CR or CR LF). Empty: the scan
    /// ends after `idleTimeout` without bytes.
    public var suffix: [UInt8]
    /// Whether the scanner sends AIM identifiers. When true a frame whose data does not begin with
    /// a well-formed identifier yields symbology `.unknown`; when false data beginning with `]`
    /// is never taken for one.
    public var aimIdentifiers: Bool
    /// The vendor's one-character code ids and the symbology each names, for a scanner that sends
    /// one after the prefix (Grow's Code ID); empty: none is sent. A frame whose first byte is one
    /// of them yields that symbology (reported as its canonical AIM identifier) and loses the byte.
    public var codeIDs: [UInt8: Symbology]

    public init(prefix: [UInt8] = [], suffix: [UInt8] = [0x0D], aimIdentifiers: Bool = true, codeIDs: [UInt8: Symbology] = [:]) {
        self.prefix = prefix
        self.suffix = suffix
        self.aimIdentifiers = aimIdentifiers
        self.codeIDs = codeIDs
    }

    /// Splits one frame (suffix already removed) into payload and AIM identifier.
    public func split(frame: [UInt8]) -> Result<(payload: [UInt8], aim: AIMIdentifier?), ScanRejectionReason> {
        guard frame.starts(with: prefix) else { return .failure(.missingPrefix) }
        let body = frame.dropFirst(prefix.count)
        if let first = body.first, let symbology = codeIDs[first] {
            return .success((Array(body.dropFirst()), AIMIdentifier.canonical(for: symbology)))
        }
        if aimIdentifiers, let aim = AIMIdentifier(prefixOf: body) {
            return .success((Array(body.dropFirst(3)), aim))
        }
        return .success((Array(body), nil))
    }
}
