/// The reasons of one protocol family's rejections: string raw values for logs, counters and JSON;
/// `garbage` is the run of skipped bytes every framing has.
public protocol RejectionReason: RawRepresentable, Sendable, Hashable, CaseIterable, Codable, CodingKeyRepresentable
where RawValue == String {
    /// Bytes skipped while looking for the start of a frame.
    static var garbage: Self { get }
}

/// Why bytes from a device did not become a reading, a scan or a card: a reason of the family's
/// own kind, a short detail (never the content of a personal credential) and how many bytes it
/// concerns. Every rejection is counted by reason and logged by whoever runs the session.
public struct CountedRejection<R: RejectionReason>: Error, Sendable, Hashable, CustomStringConvertible {
    public typealias Reason = R
    public var reason: Reason
    /// A short human-readable detail, e.g. `sum 0x12, expected 0xEE`.
    public var detail: String
    /// How many bytes it concerns (skipped, truncated or the frame's length).
    public var byteCount: Int

    public init(_ reason: Reason, _ detail: String = "", bytes: Int = 0) {
        self.reason = reason
        self.detail = detail
        self.byteCount = bytes
    }

    public var description: String {
        let base = detail.isEmpty ? reason.rawValue : "\(reason.rawValue): \(detail)"
        return byteCount > 0 && reason == .garbage ? "\(base) (\(byteCount) bytes)" : base
    }
}
