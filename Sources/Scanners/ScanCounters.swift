/// Counts of what the decoders of one scanner produced: scans, rejections by reason code, and
/// duplicates suppressed by the `DuplicateScanFilter`.
public struct ScanCounters: Sendable, Hashable {
    public private(set) var scans = 0
    public private(set) var duplicates = 0
    /// Rejections by `ScanRejectionReason.code`.
    public private(set) var rejections: [String: Int] = [:]

    public init() {}

    public var totalRejections: Int { rejections.values.reduce(0, +) }

    public mutating func record(_ outcome: ScanOutcome) {
        switch outcome {
        case .scan: scans += 1
        case .rejected(let r): rejections[r.reason.code, default: 0] += 1
        }
    }

    public mutating func record(_ outcomes: [ScanOutcome]) { outcomes.forEach { record($0) } }

    public mutating func recordDuplicate() { duplicates += 1 }
}
