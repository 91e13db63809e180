import CheckpointCore

/// One `[[device]]` section of the gate's configuration: a device the gate uses, named by path or
/// picked out of discovery by a selector. Lanes (`[[lane]]`) refer to devices by `id`.
///
///     [[device]]
///     id = "thermo-north"                  # unique; 1…64 of A–Z a–z 0–9 . _ -
///     model = "lu90614"                    # catalog model id (required with path)
///     path = "/dev/ttyUSB0"                # either a device node …
///
///     [[device]]
///     id = "air"
///     match = { usb = "1a86:7523", serial = "A1B2", port = "1-1.2" }   # … or a selector
///     model = "xy-md02"                    # optional with match: else the catalog's match decides
///
///     [[device]]
///     id = "scanner-north"
///     model = "honeywell-hidpos"           # … or only a model: the device its catalog [match] finds
public struct DeviceConfiguration: Sendable, Hashable {
    /// Picks discovered devices: every given field must be equal.
    public struct Selector: Sendable, Hashable {
        /// `VID:PID`, lowercase hex.
        public var usb: String?
        /// USB serial number.
        public var serial: String?
        /// USB port path: the sysfs port (`1-1.2`) or udev `ID_PATH`; matched as equal or as the
        /// end of the device's port path.
        public var port: String?

        public init(usb: String? = nil, serial: String? = nil, port: String? = nil) {
            self.usb = usb?.lowercased()
            self.serial = serial
            self.port = port
        }

        public func matches(_ d: DeviceDescription) -> Bool {
            if let usb {
                guard let v = d.vendorID, let p = d.productID, "\(v):\(p)".lowercased() == usb else { return false }
            }
            if let serial, d.serial != serial { return false }
            if let port {
                guard let have = d.portPath, have == port || have.hasSuffix("-\(port)") || have.hasSuffix(":\(port)") else { return false }
            }
            return true
        }
    }

    public enum Location: Sendable, Hashable {
        /// A device node (or a stable link to one) named in the configuration.
        case path(String)
        /// The discovered device the selector picks out.
        case match(Selector)
        /// The discovered device the model's catalog `[match]` recognises (exactly one must).
        case catalogMatch
    }

    public var id: String
    /// Catalog model id; nil when the catalog's `[match]` is to decide (selector only).
    public var model: String?
    public var location: Location
    /// The key path it came from (`device[2]`), for messages.
    public var source: String

    public init(id: String, model: String?, location: Location, source: String = "") {
        self.id = id
        self.model = model
        self.location = location
        self.source = source
    }

    static let keys: Set<String> = ["id", "model", "path", "match"]

    /// Reads every `[[device]]` of `root`; ids must be valid and unique.
    public static func parseAll(_ root: ConfigTable) throws(ConfigError) -> [DeviceConfiguration] {
        var out: [DeviceConfiguration] = []
        var seen: Set<String> = []
        for t in try root.tables("device") {
            let d = try parse(t)
            guard seen.insert(d.id).inserted else { throw t.error("id", "device id \"\(d.id)\" is used twice") }
            out.append(d)
        }
        return out
    }

    /// Reads one `[[device]]` table.
    public static func parse(_ t: ConfigTable) throws(ConfigError) -> DeviceConfiguration {
        try t.rejectUnknownKeys(keys)
        let id = try t.requiredString("id")
        guard FieldLimits.isValidIdentifier(id) else { throw t.error("id", "\"\(id)\" must be 1…64 of A–Z a–z 0–9 . _ -") }
        let model = try t.string("model")
        let path = try t.string("path")
        let selector = try t.table("match")
        switch (path, selector) {
        case (let p?, nil):
            guard p.hasPrefix("/") else { throw t.error("path", "must be an absolute path such as /dev/ttyUSB0") }
            guard model != nil else { throw t.error("model", "a device named by path needs its catalog model") }
            return DeviceConfiguration(id: id, model: model, location: .path(p), source: t.path)
        case (nil, let m?):
            try m.rejectUnknownKeys(["usb", "serial", "port"])
            let usb = try m.string("usb")
            if let usb {
                let parts = usb.split(separator: ":", omittingEmptySubsequences: false)
                guard parts.count == 2, parts.allSatisfy({ $0.count == 4 && $0.allSatisfy(\.isHexDigit) }) else {
                    throw m.error("usb", "\"\(usb)\" is not VID:PID, e.g. \"1a86:7523\"")
                }
            }
            let selector = Selector(usb: usb, serial: try m.string("serial"), port: try m.string("port"))
            guard selector.usb != nil || selector.serial != nil || selector.port != nil else {
                throw m.error("needs at least one of usb, serial, port")
            }
            return DeviceConfiguration(id: id, model: model, location: .match(selector), source: t.path)
        case (nil, nil):
            guard model != nil else {
                throw t.error("needs path = \"/dev/…\", match = { usb = …, serial = …, port = … }, or a model whose catalog [match] finds the device")
            }
            return DeviceConfiguration(id: id, model: model, location: .catalogMatch, source: t.path)
        case (_?, _?):
            throw t.error("match", "give either path or match, not both")
        }
    }
}
