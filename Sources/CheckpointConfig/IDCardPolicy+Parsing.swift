import CheckpointCore
import Foundation

/// Reading `IDCardPolicy` from the configuration file (the type is in CheckpointCore).
extension IDCardPolicy {
    static let keys: Set<String> = ["districtKeyFile", "residents", "residentsFile", "visitors", "expired", "timeZone"]

    /// Whether `text` is a keyed hash as the gate writes it: 64 lower-case hex characters.
    public static func isHash(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    /// Reads `[policy.idCard]` from the `[policy]` table (defaults when absent).
    static func parse(_ policy: ConfigTable) throws(ConfigError) -> IDCardPolicy {
        var p = IDCardPolicy()
        guard let t = try policy.table("idCard") else { return p }
        try t.rejectUnknownKeys(keys)
        p.districtKeyFile = try t.string("districtKeyFile")
        for (i, h) in (try t.strings("residents") ?? []).enumerated() {
            guard isHash(h) else { throw t.error("residents[\(i)]", "must be 64 lower-case hex characters (HMAC-SHA256)") }
            p.residents.insert(h)
        }
        if let file = try t.string("residentsFile") {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw t.error("residentsFile", "cannot read \(file)") }
            for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init)?
                    .trimmingCharacters(in: .whitespaces) ?? ""
                if line.isEmpty { continue }
                guard isHash(line) else { throw t.error("residentsFile", "\(file):\(n + 1): not 64 lower-case hex characters") }
                p.residents.insert(line)
            }
        }
        p.visitors = try t.enumeration("visitors", VisitorAction.self) ?? p.visitors
        if let e = try t.string("expired") {
            guard let d = Decision(rawValue: e), [.refuse, .refer].contains(d) else { throw t.error("expired", "\"\(e)\" is not one of \"refuse\", \"refer\"") }
            p.expiredDecision = d
        }
        p.timeZone = try t.string("timeZone", default: p.timeZone)
        guard TimeZone(identifier: p.timeZone) != nil else { throw t.error("timeZone", "\"\(p.timeZone)\" is not a time zone identifier") }
        return p
    }

}
