import Foundation

/// The `[policy]` section: how the gate decides (see docs/policy.md for every key).
///
///     [policy]
///     feverThresholdCelsius = 37.3      # body °C at or above which the decision is `feverDecision`
///     bodyRangeCelsius = [34.0, 42.0]   # plausible body °C; outside: remeasure (temperatureOutOfRange)
///     presenceMinimumCelsius = 30.0     # below: nobody in front of the sensor, the reading is ignored
///     pairingWindowMs = 5000            # a scan waits this long for a reading (and vice versa)
///     readingMaxAgeMs = 5000            # a reading older than this is never paired with a later scan
///     noReading = "refer"               # "refer" or "remeasure" when a scan gets no reading in time
///     feverDecision = "refer"           # "refer" or "refuse"
///     unrecognizedDecision = "refuse"   # "refuse" or "refer" for a code no rule accepts
///     requireTemperature = true         # false: lanes decide on the code alone
///     readingWithoutScan = "record"     # "record" (refer, noCredential) or "ignore"
///     allow = ["…"]                     # payloads always accepted (exact match)
///     deny = ["…"]                      # payloads always refused (exact match)
///     [[policy.credentialRule]]         # first match wins
///     prefix = "https://hc.example.gov.cn/"   # or: pattern = "^[0-9]{17}[0-9X]$" (whole payload)
///     action = "accept"                 # or "deny"
///     [policy.watchList]                # colour → decision (defaults shown)
///     red = "refuse"; orange = "refer"; yellow = "refer"; blue = "admit"; green = "admit"
public struct PolicyConfiguration: Sendable, Hashable {
    /// What a credential rule does with a code it matches.
    public enum RuleAction: String, Sendable, Hashable, CaseIterable { case accept, deny }
    /// What to do with a reading that no scan claimed within the window.
    public enum LoneReading: String, Sendable, Hashable, CaseIterable { case record, ignore }

    /// One credential rule: `prefix` or `pattern` (an ICU regular expression that must match the
    /// whole payload), and the action.
    public struct CredentialRule: Sendable, Hashable {
        public enum Match: Sendable, Hashable {
            case prefix(String)
            case pattern(String)
        }
        public var name: String
        public var match: Match
        public var action: RuleAction
        public init(name: String, match: Match, action: RuleAction) {
            self.name = name
            self.match = match
            self.action = action
        }
    }

    /// Operator-set label; when absent the policy version is a hash of this configuration.
    public var label: String?
    /// Body °C at or above which the fever rule applies.
    public var feverThresholdCelsius: Double = 37.3
    /// Lowest plausible body °C.
    public var bodyMinimumCelsius: Double = 34.0
    /// Highest plausible body °C.
    public var bodyMaximumCelsius: Double = 42.0
    /// Readings below this °C (as body temperature) mean nobody is in front of the sensor (a wall,
    /// the air): the pairing ignores them. Between it and `bodyMinimumCelsius`: remeasure.
    public var presenceMinimumCelsius: Double = 30.0
    /// How long a scan waits for a reading (ms).
    public var pairingWindowMs: Int = 5_000
    /// How old a reading may be and still be paired with a later scan (ms).
    public var readingMaxAgeMs: Int = 5_000
    /// Decision for a scan that got no reading in time (`refer` or `remeasure`).
    public var noReadingDecision: Decision = .refer
    /// Decision for a fever (`refer` or `refuse`).
    public var feverDecision: Decision = .refer
    /// Decision for a code no rule or list accepts (`refuse` or `refer`).
    public var unrecognizedDecision: Decision = .refuse
    /// False: lanes decide on the credential alone (no temperature needed).
    public var requireTemperature: Bool = true
    public var readingWithoutScan: LoneReading = .record
    /// Payloads always accepted (exact match).
    public var allow: [String] = []
    /// Payloads always refused (exact match).
    public var deny: [String] = []
    /// Ordered rules; the first that matches classifies the code.
    public var credentialRules: [CredentialRule] = []
    /// `[policy.idCard]`: residents, visitors, expired cards.
    public var idCard = IDCardPolicy()
    /// Watch-list colour → decision.
    public var watchListDecisions: [WatchColour: Decision] = PolicyConfiguration.defaultWatchListDecisions

    public static let defaultWatchListDecisions: [WatchColour: Decision] = [
        .red: .refuse, .orange: .refer, .yellow: .refer, .blue: .admit, .green: .admit,
    ]

    public init() {}

    /// A canonical text of every setting, one `key=value` per line in a fixed order; the policy
    /// version hash is computed over it, so equal policies hash equally across runs and machines.
    public var canonicalText: String {
        var lines: [String] = []
        lines.append("feverThresholdCelsius=\(feverThresholdCelsius)")
        lines.append("bodyRangeCelsius=\(bodyMinimumCelsius),\(bodyMaximumCelsius)")
        lines.append("presenceMinimumCelsius=\(presenceMinimumCelsius)")
        lines.append("pairingWindowMs=\(pairingWindowMs)")
        lines.append("readingMaxAgeMs=\(readingMaxAgeMs)")
        lines.append("noReading=\(noReadingDecision.rawValue)")
        lines.append("feverDecision=\(feverDecision.rawValue)")
        lines.append("unrecognizedDecision=\(unrecognizedDecision.rawValue)")
        lines.append("requireTemperature=\(requireTemperature)")
        lines.append("readingWithoutScan=\(readingWithoutScan.rawValue)")
        lines.append("allow=\(allow.sorted().map(\.debugDescription).joined(separator: ","))")
        lines.append("deny=\(deny.sorted().map(\.debugDescription).joined(separator: ","))")
        for r in credentialRules {
            switch r.match {
            case .prefix(let s): lines.append("rule=prefix:\(s.debugDescription):\(r.action.rawValue)")
            case .pattern(let s): lines.append("rule=pattern:\(s.debugDescription):\(r.action.rawValue)")
            }
        }
        for colour in WatchColour.allCases {
            lines.append("watchList.\(colour.rawValue)=\(watchListDecisions[colour]?.rawValue ?? "admit")")
        }
        if idCard != IDCardPolicy() { lines += idCard.canonicalLines }
        return lines.joined(separator: "\n")
    }
}
