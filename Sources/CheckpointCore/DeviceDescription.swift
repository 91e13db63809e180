/// What discovery found out about one device node, before matching it to a catalog model.
/// Filled from udev properties when udevd runs, from the USB parent's sysfs attributes otherwise
/// (containers without udevd are real deployments), or only `devnode` for a path named in the
/// configuration.
public struct DeviceDescription: Sendable, Hashable, Codable {
    /// `tty`, `hidraw` or `input`.
    public var subsystem: String
    /// The device node, e.g. `/dev/ttyUSB0`.
    public var devnode: String
    /// The sysfs path, e.g. `/sys/devices/pci0000:00/…/ttyUSB0`; nil for a configured path.
    public var syspath: String?
    /// USB vendor id, lowercase hex without prefix (`1a86`); nil if not a USB device.
    public var vendorID: String?
    /// USB product id, lowercase hex (`7523`).
    public var productID: String?
    /// USB serial number; nil for adapters without one (CH340 class).
    public var serial: String?
    /// USB port path, e.g. `pci-0000:00:14.0-usb-0:1.2:1.0` (udev `ID_PATH`) or the sysfs port `1-1.2`.
    public var portPath: String?
    /// All udev properties; without udevd only the kernel's uevent keys (`DEVNAME`, `MAJOR`, …).
    public var properties: [String: String]
    /// `/dev/serial/by-id/…`, `/dev/serial/by-path/…`, `/dev/input/by-id/…` links.
    public var links: [String]

    public init(subsystem: String, devnode: String, syspath: String? = nil, vendorID: String? = nil,
                productID: String? = nil, serial: String? = nil, portPath: String? = nil,
                properties: [String: String] = [:], links: [String] = []) {
        self.subsystem = subsystem
        self.devnode = devnode
        self.syspath = syspath
        self.vendorID = vendorID
        self.productID = productID
        self.serial = serial
        self.portPath = portPath
        self.properties = properties
        self.links = links
    }

    /// A stable identity for readings, site calibration and logs: `usb:VID:PID:SERIAL` when the
    /// device has a serial, `usb:VID:PID@PORT` when it has none (CH340 class; identical units
    /// differ only by port), the devnode otherwise.
    public var identity: String {
        if let v = vendorID, let p = productID {
            if let s = serial, !s.isEmpty { return "usb:\(v):\(p):\(s)" }
            if let port = portPath { return "usb:\(v):\(p)@\(port)" }
            return "usb:\(v):\(p)@\(devnode)"
        }
        return devnode
    }
}
