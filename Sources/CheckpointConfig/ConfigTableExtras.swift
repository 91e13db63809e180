import TOMLKit

extension ConfigTable {
    /// An array of numbers (integers accepted where floats are expected), nil if absent.
    public func doubles(_ key: String) throws(ConfigError) -> [Double]? {
        guard let v = table[key] else { return nil }
        guard let a = v.array else { throw error(key, "expected an array of numbers") }
        var out: [Double] = []
        for (i, element) in a.enumerated() {
            let d: Double
            if let x = element.double { d = x } else if let n = element.int { d = Double(n) } else {
                throw error("\(key)[\(i)]", "expected a number, found \(element.type)")
            }
            guard d.isFinite else { throw error("\(key)[\(i)]", "must be a finite number") }
            out.append(d)
        }
        return out
    }

    /// A table of string values (`properties = { ID_MODEL = "x" }`), nil if absent.
    public func stringTable(_ key: String) throws(ConfigError) -> [String: String]? {
        guard let t = try table(key) else { return nil }
        var out: [String: String] = [:]
        for k in t.keys { out[k] = try t.requiredString(k) }
        return out
    }
}

extension ConfigTable {
    /// The sub-table at `key`, or an empty table with that path when absent, so a reader can apply
    /// defaults and `rejectUnknownKeys` uniformly (e.g. a catalog model without `[protocol]`).
    public func tableOrEmpty(_ key: String) throws(ConfigError) -> ConfigTable {
        if let t = try table(key) { return t }
        return ConfigTable(document: document, table: TOMLTable(), path: path(of: key))
    }
}
