import CUdev

/// Owns one libudev context (`udev_new` / `udev_unref`). libudev contexts are not thread-safe:
/// use one per thread (discovery makes its own; a `DeviceMonitor` keeps one on its loop).
final class Udev {
    let handle: OpaquePointer

    init?() {
        guard let handle = udev_new() else { return nil }
        self.handle = handle
    }

    deinit { udev_unref(handle) }

    /// Name/value pairs of a libudev list (properties, devlinks, enumeration results).
    static func pairs(_ first: OpaquePointer?) -> [(name: String, value: String?)] {
        var result: [(String, String?)] = []
        var entry = first
        while let current = entry {
            if let name = udev_list_entry_get_name(current) {
                result.append((String(cString: name), udev_list_entry_get_value(current).map { String(cString: $0) }))
            }
            entry = udev_list_entry_get_next(current)
        }
        return result
    }

    /// True when udevd runs (its control socket exists): udev properties, links and "udev" monitor
    /// events are then available.
    static var daemonIsRunning: Bool {
        access("/run/udev/control", F_OK) == 0
    }
}

#if canImport(Glibc)
import Glibc
#endif
