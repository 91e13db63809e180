import CheckpointCore
import Foundation

/// Reading `PolicyConfiguration` from the configuration file (the type is in CheckpointCore).
extension PolicyConfiguration {
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
