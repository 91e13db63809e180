import CheckpointCore
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

    static let keys: Set<String> = [
        "label", "feverThresholdCelsius", "bodyRangeCelsius", "presenceMinimumCelsius", "pairingWindowMs", "readingMaxAgeMs", "noReading",
        "feverDecision", "unrecognizedDecision", "requireTemperature", "readingWithoutScan", "allow", "deny",
        "credentialRule", "watchList", "idCard",
    ]

    /// Reads `[policy]` from the root table; every key is optional (defaults above).
    public static func parse(_ root: ConfigTable) throws(ConfigError) -> PolicyConfiguration {
        var p = PolicyConfiguration()
        guard let t = try root.table("policy") else { return p }
        try t.rejectUnknownKeys(keys)
        if let label = try t.string("label") {
            guard !label.isEmpty, label.utf8.count <= FieldLimits.maxPolicyVersionBytes else {
                throw t.error("label", "must be 1…\(FieldLimits.maxPolicyVersionBytes) bytes")
            }
            p.label = label
        }
        p.feverThresholdCelsius = try t.double("feverThresholdCelsius", default: p.feverThresholdCelsius, in: 30...45)
        if t.contains("bodyRangeCelsius") {
            (p.bodyMinimumCelsius, p.bodyMaximumCelsius) = try doublePair(t, "bodyRangeCelsius")
        }
        return try finish(p, t)
    }

    private static func finish(_ input: PolicyConfiguration, _ t: ConfigTable) throws(ConfigError) -> PolicyConfiguration {
        var p = input
        guard p.bodyMinimumCelsius < p.feverThresholdCelsius, p.feverThresholdCelsius <= p.bodyMaximumCelsius else {
            throw t.error("feverThresholdCelsius", "must lie inside bodyRangeCelsius (\(p.bodyMinimumCelsius)…\(p.bodyMaximumCelsius))")
        }
        p.presenceMinimumCelsius = try t.double("presenceMinimumCelsius", default: p.presenceMinimumCelsius, in: 0...45)
        guard p.presenceMinimumCelsius <= p.bodyMinimumCelsius else {
            throw t.error("presenceMinimumCelsius", "must not exceed the lower bound of bodyRangeCelsius (\(p.bodyMinimumCelsius))")
        }
        p.pairingWindowMs = try t.int("pairingWindowMs", default: p.pairingWindowMs, in: 100...120_000)
        p.readingMaxAgeMs = try t.int("readingMaxAgeMs", default: p.readingMaxAgeMs, in: 100...120_000)
        p.noReadingDecision = try decision(t, "noReading", allowed: [.refer, .remeasure]) ?? p.noReadingDecision
        p.feverDecision = try decision(t, "feverDecision", allowed: [.refer, .refuse]) ?? p.feverDecision
        p.unrecognizedDecision = try decision(t, "unrecognizedDecision", allowed: [.refuse, .refer]) ?? p.unrecognizedDecision
        p.requireTemperature = try t.bool("requireTemperature", default: p.requireTemperature)
        p.readingWithoutScan = try t.enumeration("readingWithoutScan", LoneReading.self) ?? p.readingWithoutScan
        p.allow = try payloads(t, "allow")
        p.deny = try payloads(t, "deny")
        if let both = Set(p.allow).intersection(p.deny).first {
            throw t.error("deny", "\"\(both)\" is in both allow and deny")
        }
        for (i, r) in try t.tables("credentialRule").enumerated() {
            try r.rejectUnknownKeys(["name", "prefix", "pattern", "action"])
            let match: CredentialRule.Match
            switch (try r.string("prefix"), try r.string("pattern")) {
            case let (prefix?, nil):
                guard !prefix.isEmpty else { throw r.error("prefix", "must not be empty") }
                match = .prefix(prefix)
            case let (nil, pattern?):
                if let problem = PatternCheck.problem(pattern) { throw r.error("pattern", problem) }
                match = .pattern(pattern)
            case (.some, .some): throw r.error("pattern", "give either prefix or pattern, not both")
            case (nil, nil): throw r.error("needs prefix or pattern")
            }
            guard let action = try r.enumeration("action", RuleAction.self) else { throw r.error("action", "required key is missing") }
            p.credentialRules.append(CredentialRule(name: try r.string("name", default: "rule\(i + 1)"), match: match, action: action))
        }
        if let w = try t.table("watchList") {
            try w.rejectUnknownKeys(Set(WatchColour.allCases.map(\.rawValue)))
            for colour in WatchColour.allCases {
                if let d = try decision(w, colour.rawValue, allowed: [.admit, .refer, .refuse]) { p.watchListDecisions[colour] = d }
            }
        }
        p.idCard = try IDCardPolicy.parse(t)
        return p
    }

    private static func decision(_ t: ConfigTable, _ key: String, allowed: [Decision]) throws(ConfigError) -> Decision? {
        guard let s = try t.string(key) else { return nil }
        guard let d = Decision(rawValue: s), allowed.contains(d) else {
            throw t.error(key, "\"\(s)\" is not one of \(allowed.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))")
        }
        return d
    }

    private static func payloads(_ t: ConfigTable, _ key: String) throws(ConfigError) -> [String] {
        let list = try t.strings(key) ?? []
        for (i, s) in list.enumerated() where s.isEmpty || s.utf8.count > FieldLimits.maxCredentialPayloadBytes {
            throw t.error("\(key)[\(i)]", "must be 1…\(FieldLimits.maxCredentialPayloadBytes) bytes")
        }
        return list
    }

    private static func doublePair(_ t: ConfigTable, _ key: String) throws(ConfigError) -> (Double, Double) {
        let values = (t.table[key]?.array).map { a in a.compactMap { $0.double ?? $0.int.map(Double.init) } } ?? []
        guard values.count == 2, values[0] < values[1] else {
            throw t.error(key, "expected [minimum, maximum] in °C with minimum < maximum")
        }
        guard (20.0...50.0).contains(values[0]), (20.0...50.0).contains(values[1]) else {
            throw t.error(key, "both bounds must lie in 20…50 °C")
        }
        return (values[0], values[1])
    }
}

/// Compiles a credential pattern once at load time so a bad one is a configuration error.
enum PatternCheck {
    static func problem(_ pattern: String) -> String? {
        do { _ = try NSRegularExpression(pattern: pattern); return nil } catch { return "not a valid regular expression: \(error)" }
    }
}
