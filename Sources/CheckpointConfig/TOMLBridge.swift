import Profiles
import TOMLKit

/// TOMLKit values ↔ `ProfileValue`.
enum TOMLBridge {
    /// `value` at `path` of `document` as a profile value; a date or time is an error (the
    /// configuration spells them as strings).
    static func value(_ value: any TOMLValueConvertible, path: String, document: ConfigDocument) throws(ConfigError) -> ProfileValue {
        if let t = value.table {
            var out: [String: ProfileValue] = [:]
            for key in t.keys {
                guard let v = t[key] else { continue }
                out[key] = try self.value(v, path: "\(path).\(key)", document: document)
            }
            return .table(out)
        }
        if let a = value.array {
            var out: [ProfileValue] = []
            for (i, element) in a.enumerated() { out.append(try self.value(element, path: "\(path)[\(i)]", document: document)) }
            return .array(out)
        }
        if let s = value.string { return .string(s) }
        if let b = value.bool { return .boolean(b) }
        if let i = value.int { return .integer(i) }
        if let d = value.double { return .float(d) }
        throw document.error(at: path, "a \(value.type) is not used by the configuration (write dates and times as strings)")
    }

    static func table(_ values: [String: ProfileValue]) -> TOMLTable {
        let t = TOMLTable()
        for (key, value) in values.sorted(by: { $0.key < $1.key }) { t[key] = convertible(value) }
        return t
    }

    static func convertible(_ value: ProfileValue) -> any TOMLValueConvertible {
        switch value {
        case .string(let s): return s
        case .integer(let i): return i
        case .float(let d): return d
        case .boolean(let b): return b
        case .array(let a): return TOMLArray(a.map(convertible))
        case .table(let t): return table(t)
        }
    }
}
