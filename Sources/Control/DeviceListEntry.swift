import CheckpointCore

/// One row of `devices.list`: what discovery saw and the catalog model it matched (if any).
/// The JSON of `devices.list` is an array of these.
public struct DeviceListEntry: Sendable, Hashable, Codable {
    public var device: DeviceDescription
    /// The catalog model id the device matched, nil if none (or no catalog was consulted).
    public var model: String?

    public init(device: DeviceDescription, model: String? = nil) {
        self.device = device
        self.model = model
    }
}
