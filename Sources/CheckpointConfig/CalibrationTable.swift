/// The `[calibration]` section: this site's per-unit temperature offsets in °C (docs/contracts.md §4:
/// °C = raw × scale + model offset + unit offset). Keys are device identities (quoted, e.g.
/// `"usb:1a86:7523@1-1.2" = 0.3`, as `checkpointctl devices` shows them) or configured device ids.
///
///     [calibration]
///     "usb:1a86:7523@1-1.2" = 0.3
///     thermo-north = -0.2
public struct CalibrationTable: Sendable, Hashable {
    /// Offsets by identity or device id, °C.
    public var offsets: [String: Double]

    /// The largest offset accepted, °C: a bigger correction means a broken or wrong sensor.
    public static let maxOffset = 5.0

    public init(offsets: [String: Double] = [:]) { self.offsets = offsets }

    /// The unit offset for a device: by its configured id first, then by its identity; 0 if none.
    public func offset(deviceID: String?, identity: String) -> Double {
        if let deviceID, let o = offsets[deviceID] { return o }
        return offsets[identity] ?? 0
    }

    /// Reads `[calibration]` of `root` (empty if absent).
    public static func parse(_ root: ConfigTable) throws(ConfigError) -> CalibrationTable {
        guard let t = try root.table("calibration") else { return CalibrationTable() }
        var offsets: [String: Double] = [:]
        for key in t.keys {
            offsets[key] = try t.requiredDouble(key, in: -maxOffset...maxOffset)
        }
        return CalibrationTable(offsets: offsets)
    }
}
