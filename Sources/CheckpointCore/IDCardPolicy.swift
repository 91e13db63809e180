import Foundation

/// `[policy.idCard]`: how the gate judges ID card reads (credential kind `idCard`).
///
///     [policy.idCard]
///     districtKeyFile = "/etc/checkpoint/district.key"   # the HMAC key (mode 0600); same on every gate of the district
///     residents = ["<64 hex>", …]         # keyed hashes of residents' citizen numbers: admitted
///     residentsFile = "/etc/checkpoint/residents.txt"    # more hashes, one per line (# comments)
///     visitors = "register"               # "register" (refer, visitorRegistration) or "refuse" (codeUnrecognized)
///     expired = "refuse"                  # "refuse" or "refer" (cardExpired), decided without waiting for a reading
///     timeZone = "Asia/Shanghai"          # the local date that decides expiry
public struct IDCardPolicy: Sendable, Hashable {
    public enum VisitorAction: String, Sendable, Hashable, CaseIterable { case register, refuse }

    /// The file with the district key; nil: ID cards cannot be turned into credentials (readers are not used).
    public var districtKeyFile: String?
    /// Lower-case hex HMAC-SHA256 values of residents' citizen numbers.
    public var residents: Set<String> = []
    public var visitors: VisitorAction = .register
    /// `refuse` or `refer`.
    public var expiredDecision: Decision = .refuse
    public var timeZone: String = "Asia/Shanghai"

    public init() {}

    /// Lines for the policy's canonical text (the version hash).
    var canonicalLines: [String] {
        ["idCard.residents=\(residents.sorted().joined(separator: ","))", "idCard.visitors=\(visitors.rawValue)",
         "idCard.expired=\(expiredDecision.rawValue)", "idCard.timeZone=\(timeZone)"]
    }
}
