import CheckpointCore
import Foundation

/// How the configured lists and rules classify one code (before the watch list and temperature).
public enum CredentialClass: Sendable, Hashable {
    /// On the allow list or accepted by a rule (the rule's name, or `allow`).
    case accepted(by: String)
    /// On the deny list or denied by a rule.
    case denied(by: String)
    /// No list or rule matched.
    case unrecognized
}

/// Classifies payloads with the `[policy]` allow / deny lists and credential rules: deny list
/// first, then allow list, then the rules in order (the first match wins). Patterns must match the
/// whole payload.
public struct CredentialClassifier: Sendable {
    private let allow: Set<String>
    private let deny: Set<String>
    private let rules: [(name: String, matcher: Matcher, action: PolicyConfiguration.RuleAction)]

    enum Matcher: Sendable {
        case prefix(String)
        case pattern(Pattern)
    }

    /// An `NSRegularExpression` is immutable after creation and safe to share across threads.
    final class Pattern: @unchecked Sendable {
        let regex: NSRegularExpression
        init(_ regex: NSRegularExpression) { self.regex = regex }
        func matchesWhole(_ s: String) -> Bool {
            let range = NSRange(s.startIndex..<s.endIndex, in: s)
            guard let m = regex.firstMatch(in: s, options: [.anchored], range: range) else { return false }
            return m.range == range
        }
    }

    /// Compiles the rules; a pattern that does not compile (only possible for a configuration not
    /// loaded through `PolicyConfiguration.parse`) never matches.
    public init(_ configuration: PolicyConfiguration) {
        allow = Set(configuration.allow)
        deny = Set(configuration.deny)
        rules = configuration.credentialRules.compactMap { rule in
            switch rule.match {
            case .prefix(let p): return (rule.name, .prefix(p), rule.action)
            case .pattern(let p):
                guard let re = try? NSRegularExpression(pattern: p) else { return nil }
                return (rule.name, .pattern(Pattern(re)), rule.action)
            }
        }
    }

    public func classify(_ payload: String) -> CredentialClass {
        if deny.contains(payload) { return .denied(by: "deny") }
        if allow.contains(payload) { return .accepted(by: "allow") }
        for rule in rules {
            let hit: Bool
            switch rule.matcher {
            case .prefix(let p): hit = payload.hasPrefix(p)
            case .pattern(let p): hit = p.matchesWhole(payload)
            }
            if hit { return rule.action == .accept ? .accepted(by: rule.name) : .denied(by: rule.name) }
        }
        return .unrecognized
    }
}
