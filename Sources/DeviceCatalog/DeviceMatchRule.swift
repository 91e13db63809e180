import CheckpointConfig
import CheckpointCore

/// How discovery recognises a model: the optional `[match]` table of a catalog file.
///
///     [match]
///     usb = ["1a86:7523", "0c2e:*"]       # any of these VID:PID (hex, any case); `VID:*` any product
///     interface = 0                       # the USB interface number (udev ID_USB_INTERFACE_NUM)
///     properties = { ID_MODEL = "…" }     # udev properties that must all be equal
///     subsystem = "tty"                   # tty | hidraw | input
///
/// A rule needs `usb` or `properties` to match anything: a subsystem or interface alone is far
/// too generic. Which node of a matched USB device a model uses (the keyboard's `event*` node, the
/// hidraw node, the tty) is its transport's business (`TransportSpec.Kind.accepts`).
public struct DeviceMatchRule: Sendable, Hashable {
    /// One USB vendor:product pair, lowercase hex; product `*` stands for any product of the vendor.
    public struct USBID: Sendable, Hashable, CustomStringConvertible {
        public var vendor: String
        public var product: String
        public init(vendor: String, product: String) {
            self.vendor = vendor.lowercased()
            self.product = product.lowercased()
        }
        /// Parses `1a86:7523` or `0c2e:*`; nil unless the vendor is four hex digits and the product
        /// four hex digits or `*`.
        public init?(_ text: String) {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0].count == 4, parts[0].allSatisfy(\.isHexDigit),
                  parts[1] == "*" || (parts[1].count == 4 && parts[1].allSatisfy(\.isHexDigit)) else { return nil }
            self.init(vendor: String(parts[0]), product: String(parts[1]))
        }
        /// True for `*`: any product of the vendor.
        public var anyProduct: Bool { product == "*" }
        /// Whether a device with `vendor`:`product` (hex, any case) is this one.
        public func matches(vendor: String, product: String) -> Bool {
            vendor.lowercased() == self.vendor && (anyProduct || product.lowercased() == self.product)
        }
        public var description: String { "\(vendor):\(product)" }
    }

    public var usb: [USBID]
    public var properties: [String: String]
    public var subsystem: String?
    /// The USB interface number (`bInterfaceNumber`, 0…255) the node must belong to; nil for any.
    public var interface: Int?

    public init(usb: [USBID] = [], properties: [String: String] = [:], subsystem: String? = nil, interface: Int? = nil) {
        self.usb = usb
        self.properties = properties
        self.subsystem = subsystem
        self.interface = interface
    }

    /// True if this rule can never match (no `usb`, no `properties`): the model is used only by
    /// explicit configuration.
    public var isEmpty: Bool { usb.isEmpty && properties.isEmpty }

    /// Weights of the evidence: a VID:PID is strong, a vendor alone (`VID:*`) less so, each equal
    /// udev property and the interface number add to it.
    public static let usbWeight = 10
    public static let vendorWeight = 6
    public static let propertyWeight = 5
    public static let interfaceWeight = 2

    /// How well `device` fits this rule: nil if it does not match, otherwise a score that grows with
    /// the evidence (VID:PID, each required property, the interface, the subsystem); an exact
    /// VID:PID outweighs a vendor-wide `VID:*` when both would match.
    public func score(_ device: DeviceDescription) -> Int? {
        if isEmpty { return nil }
        var score = 0
        if let subsystem {
            guard device.subsystem == subsystem else { return nil }
            score += 1
        }
        if !usb.isEmpty {
            guard let v = device.vendorID, let p = device.productID else { return nil }
            let fitting = usb.filter { $0.matches(vendor: v, product: p) }
            guard !fitting.isEmpty else { return nil }
            score += fitting.contains { !$0.anyProduct } ? Self.usbWeight : Self.vendorWeight
        }
        if let interface {
            guard let number = Self.interfaceNumber(device), number == interface else { return nil }
            score += Self.interfaceWeight
        }
        for (key, value) in properties {
            guard device.properties[key] == value else { return nil }
            score += Self.propertyWeight
        }
        return score
    }

    /// The USB interface number of `device`: udev's `ID_USB_INTERFACE_NUM` (two hex digits), nil
    /// when absent (no udevd, or not a USB interface).
    public static func interfaceNumber(_ device: DeviceDescription) -> Int? {
        device.properties["ID_USB_INTERFACE_NUM"].flatMap { Int($0, radix: 16) }
    }

    /// Reads and validates a `[match]` table.
    public static func parse(_ table: ConfigTable) throws(ConfigError) -> DeviceMatchRule {
        try table.rejectUnknownKeys(["usb", "properties", "subsystem", "interface"])
        var rule = DeviceMatchRule()
        for (i, text) in (try table.strings("usb") ?? []).enumerated() {
            guard let id = USBID(text) else {
                throw table.error("usb[\(i)]", "\"\(text)\" is not VID:PID as four hex digits each (or VID:* for any product), e.g. \"1a86:7523\"")
            }
            rule.usb.append(id)
        }
        rule.interface = try table.int("interface", in: 0...255)
        rule.properties = try table.stringTable("properties") ?? [:]
        if let s = try table.string("subsystem") {
            guard ["tty", "hidraw", "input"].contains(s) else { throw table.error("subsystem", "\"\(s)\" is not one of \"tty\", \"hidraw\", \"input\"") }
            rule.subsystem = s
        }
        if rule.isEmpty && (table.contains("subsystem") || table.contains("interface")) {
            throw table.error("needs usb or properties besides subsystem and interface (alone they match every device of that kind)")
        }
        return rule
    }
}
