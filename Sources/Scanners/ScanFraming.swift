/// The text a scanner wraps around each payload: `[prefix][AIM id][data][suffix]`. Prefix and
/// suffix are configured on the scanner (catalog / site data); the AIM identifier is present when
/// the scanner is told to send it.
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

    public init(prefix: [UInt8] = [], suffix: [UInt8] = [0x0D], aimIdentifiers: Bool = true) {
        self.prefix = prefix
        self.suffix = suffix
        self.aimIdentifiers = aimIdentifiers
    }

    /// Splits one frame (suffix already removed) into payload and AIM identifier.
    public func split(frame: [UInt8]) -> Result<(payload: [UInt8], aim: AIMIdentifier?), ScanRejectionReason> {
        guard frame.starts(with: prefix) else { return .failure(.missingPrefix) }
        let body = frame.dropFirst(prefix.count)
        if aimIdentifiers, let aim = AIMIdentifier(prefixOf: body) {
            return .success((Array(body.dropFirst(3)), aim))
        }
        return .success((Array(body), nil))
    }
}
