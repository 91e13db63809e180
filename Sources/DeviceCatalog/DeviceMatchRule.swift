import CheckpointConfig
import CheckpointCore

/// How discovery recognises a model: the optional `[match]` table of a catalog file.
///
///     [match]
///     usb = ["1a86:7523"]                 # any of these VID:PID (lowercase or uppercase hex)
///     properties = { ID_MODEL = "…" }     # udev properties that must all be equal
///     subsystem = "tty"                   # tty | hidraw | input
///
/// A rule needs `usb` or `properties` to match anything: a subsystem alone is far too generic.
public struct DeviceMatchRule: Sendable, Hashable {
    /// One USB vendor:product pair, lowercase hex.
    public struct USBID: Sendable, Hashable, CustomStringConvertible {
        public var vendor: String
        public var product: String
        public init(vendor: String, product: String) {
            self.vendor = vendor.lowercased()
            self.product = product.lowercased()
        }
        /// Parses `1a86:7523`; nil unless both halves are four hex digits.
        public init?(_ text: String) {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, parts.allSatisfy({ $0.count == 4 && $0.allSatisfy(\.isHexDigit) }) else { return nil }
            self.init(vendor: String(parts[0]), product: String(parts[1]))
        }
        public var description: String { "\(vendor):\(product)" }
    }

    public var usb: [USBID]
    public var properties: [String: String]
    public var subsystem: String?

    public init(usb: [USBID] = [], properties: [String: String] = [:], subsystem: String? = nil) {
        self.usb = usb
        self.properties = properties
        self.subsystem = subsystem
    }

    /// True if this rule can never match (no `usb`, no `properties`): the model is used only by
    /// explicit configuration.
    public var isEmpty: Bool { usb.isEmpty && properties.isEmpty }

    /// Weights of the evidence: a VID:PID is strong, each equal udev property adds to it.
    public static let usbWeight = 10
    public static let propertyWeight = 5

    /// How well `device` fits this rule: nil if it does not match, otherwise a score that grows with
    /// the evidence (VID:PID, each required property, the subsystem).
    public func score(_ device: DeviceDescription) -> Int? {
        if isEmpty { return nil }
        var score = 0
        if let subsystem {
            guard device.subsystem == subsystem else { return nil }
            score += 1
        }
        if !usb.isEmpty {
            guard let v = device.vendorID?.lowercased(), let p = device.productID?.lowercased(),
                  usb.contains(USBID(vendor: v, product: p)) else { return nil }
            score += Self.usbWeight
        }
        for (key, value) in properties {
            guard device.properties[key] == value else { return nil }
            score += Self.propertyWeight
        }
        return score
    }

    /// Reads and validates a `[match]` table.
    public static func parse(_ table: ConfigTable) throws(ConfigError) -> DeviceMatchRule {
        try table.rejectUnknownKeys(["usb", "properties", "subsystem"])
        var rule = DeviceMatchRule()
        for (i, text) in (try table.strings("usb") ?? []).enumerated() {
            guard let id = USBID(text) else { throw table.error("usb[\(i)]", "\"\(text)\" is not VID:PID as four hex digits each, e.g. \"1a86:7523\"") }
            rule.usb.append(id)
        }
        rule.properties = try table.stringTable("properties") ?? [:]
        if let s = try table.string("subsystem") {
            guard ["tty", "hidraw", "input"].contains(s) else { throw table.error("subsystem", "\"\(s)\" is not one of \"tty\", \"hidraw\", \"input\"") }
            rule.subsystem = s
        }
        if rule.isEmpty && table.contains("subsystem") {
            throw table.error("needs usb or properties besides subsystem (a subsystem alone matches every device of that kind)")
        }
        return rule
    }
}
