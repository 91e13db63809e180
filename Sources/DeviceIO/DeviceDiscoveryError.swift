/// Why discovery or the hotplug monitor could not start.
public enum DeviceDiscoveryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// libudev could not be used (`call` names the function), with the errno text when it set one.
    case udev(call: String, errno: Int32)

    public var description: String {
        switch self {
        case .udev(let call, let code): return "udev: \(call) failed\(code != 0 ? ": \(systemErrorText(code))" : "")"
        }
    }
}
