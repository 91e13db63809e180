import CUdev
import CheckpointCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Lists the gate's candidate devices — serial ttys, hidraw nodes, input event nodes — as
/// `DeviceDescription`s, through libudev.
///
/// With udevd running, the USB identity and links come from udev properties (`ID_VENDOR_ID`,
/// `ID_MODEL_ID`, `ID_SERIAL_SHORT`, `ID_PATH`, `DEVLINKS`). Without it (this build machine, many
/// containers) libudev still enumerates sysfs, but those properties are absent: the USB parent's
/// sysfs attributes (`idVendor`, `idProduct`, `serial`, its port name like `1-1.2`) and a scan of
/// `/dev/serial/by-id`, `/dev/serial/by-path`, `/dev/input/by-id`, `/dev/input/by-path` fill in.
/// Which nodes count as hardware: see `SysfsDeviceInfo`.
public enum DeviceDiscovery {
    /// Enumerates `subsystems` (default tty, hidraw, input), sorted by devnode.
    public static func enumerate(subsystems: [String] = SysfsDeviceInfo.subsystems) throws -> [DeviceDescription] {
        guard let udev = Udev() else { throw DeviceDiscoveryError.udev(call: "udev_new", errno: errno) }
        guard let enumerator = udev_enumerate_new(udev.handle) else {
            throw DeviceDiscoveryError.udev(call: "udev_enumerate_new", errno: errno)
        }
        defer { udev_enumerate_unref(enumerator) }
        for subsystem in subsystems { udev_enumerate_add_match_subsystem(enumerator, subsystem) }
        let status = udev_enumerate_scan_devices(enumerator)
        guard status >= 0 else { throw DeviceDiscoveryError.udev(call: "udev_enumerate_scan_devices", errno: -status) }
        let links = SysfsDeviceInfo.stableLinks()
        var found: [DeviceDescription] = []
        for (syspath, _) in Udev.pairs(udev_enumerate_get_list_entry(enumerator)) {
            guard let device = udev_device_new_from_syspath(udev.handle, syspath) else { continue }
            defer { udev_device_unref(device) }
            if let description = describe(device, fallbackLinks: links) { found.append(description) }
        }
        return found.sorted { $0.devnode < $1.devnode }
    }

    /// Describes a libudev device, or nil if it has no device node or is not hardware.
    static func describe(_ device: OpaquePointer, fallbackLinks: [String: [String]]) -> DeviceDescription? {
        guard let subsystemPointer = udev_device_get_subsystem(device),
              let devnodePointer = udev_device_get_devnode(device),
              let syspathPointer = udev_device_get_syspath(device) else { return nil }
        let subsystem = String(cString: subsystemPointer)
        let syspath = String(cString: syspathPointer)
        let name = (syspath as NSString).lastPathComponent
        guard SysfsDeviceInfo.isHardware(subsystem: subsystem, name: name, resolvedPath: syspath) else { return nil }
        var properties: [String: String] = [:]
        for (key, value) in Udev.pairs(udev_device_get_properties_list_entry(device)) { properties[key] = value ?? "" }
        return description(subsystem: subsystem, devnode: String(cString: devnodePointer), syspath: syspath,
                           properties: properties,
                           devlinks: Udev.pairs(udev_device_get_devlinks_list_entry(device)).map(\.name),
                           fallbackLinks: fallbackLinks)
    }

    /// Builds a description from udev properties, filling what they lack from sysfs (`sysfsRoot`)
    /// and the stable-link scan (`fallbackLinks`).
    static func description(subsystem: String, devnode: String, syspath: String, properties: [String: String],
                            devlinks: [String], fallbackLinks: [String: [String]],
                            sysfsRoot: String = "/") -> DeviceDescription {
        var description = DeviceDescription(subsystem: subsystem, devnode: devnode, syspath: syspath,
                                            vendorID: properties["ID_VENDOR_ID"]?.lowercased(),
                                            productID: properties["ID_MODEL_ID"]?.lowercased(),
                                            serial: properties["ID_SERIAL_SHORT"].flatMap { $0.isEmpty ? nil : $0 },
                                            portPath: properties["ID_PATH"],
                                            properties: properties,
                                            links: devlinks.sorted())
        if description.vendorID == nil || description.productID == nil || description.portPath == nil,
           let usb = SysfsDeviceInfo.usbDevice(above: syspath, sysfsRoot: sysfsRoot) {
            if description.vendorID == nil || description.productID == nil {
                description.vendorID = usb.vendorID
                description.productID = usb.productID
                if description.serial == nil { description.serial = usb.serial }
            }
            if description.portPath == nil { description.portPath = usb.portPath }
        }
        if description.links.isEmpty { description.links = fallbackLinks[devnode] ?? [] }
        return description
    }
}
