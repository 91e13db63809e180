/// A `devices.list` reply that could not be used.
public struct DeviceListError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
