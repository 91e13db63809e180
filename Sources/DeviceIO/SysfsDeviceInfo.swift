import CheckpointCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Describes device nodes from sysfs alone: the fallback when udevd does not run (containers,
/// minimal images), and the source of the USB identity when udev properties lack it.
///
/// Every function takes the roots it reads (`sysfsRoot` holds `sys/…`, `devRoot` holds `dev/…`;
/// both `/` on a real system) so that tests can feed a fake tree.
///
/// Which class devices count as hardware (`isHardware`):
/// - `tty`: only those with a `device` link (this skips virtual consoles, `console`, `ptmx`,
///   `tty`, PTYs) and, for UARTs that have a `type` attribute, a type other than 0 (PORT_UNKNOWN:
///   the legacy `ttyS1…ttyS31` placeholders the 8250 driver registers whether or not a UART is there).
/// - `hidraw`: all.
/// - `input`: only `event*` nodes (not `mouse*`/`js*` or the `inputN` parents).
public enum SysfsDeviceInfo {
    /// The subsystems discovery looks at.
    public static let subsystems = ["tty", "hidraw", "input"]

    /// Folders of stable links udev makes (and that may exist without udevd, made by an image).
    public static let linkDirectories = ["dev/serial/by-id", "dev/serial/by-path", "dev/input/by-id", "dev/input/by-path"]

    /// Describes every hardware device of `subsystems` under `sysfsRoot/sys/class`, sorted by devnode.
    public static func enumerate(subsystems: [String] = subsystems, sysfsRoot: String = "/",
                                 devRoot: String = "/") -> [DeviceDescription] {
        let links = stableLinks(devRoot: devRoot)
        var found: [DeviceDescription] = []
        for subsystem in subsystems {
            let classDirectory = join(sysfsRoot, "sys/class/\(subsystem)")
            let names = (try? FileManager.default.contentsOfDirectory(atPath: classDirectory)) ?? []
            for name in names.sorted() {
                guard let description = describe(subsystem: subsystem, classDevicePath: join(classDirectory, name),
                                                 sysfsRoot: sysfsRoot, links: links) else { continue }
                found.append(description)
            }
        }
        return found.sorted { $0.devnode < $1.devnode }
    }

    /// Describes one class device (`…/sys/class/tty/ttyUSB0` or its resolved `…/sys/devices/…`
    /// path), or nil if it is not hardware (see the type's rules). `links` maps a resolved devnode
    /// to the stable links pointing at it (from `stableLinks`).
    public static func describe(subsystem: String, classDevicePath: String, sysfsRoot: String = "/",
                                links: [String: [String]] = [:]) -> DeviceDescription? {
        guard let resolved = realPath(classDevicePath) else { return nil }
        let name = (resolved as NSString).lastPathComponent
        guard isHardware(subsystem: subsystem, name: name, resolvedPath: resolved) else { return nil }
        let uevent = keyValues(join(resolved, "uevent"))
        let devnode = "/dev/" + (uevent["DEVNAME"] ?? name)
        var description = DeviceDescription(subsystem: subsystem, devnode: devnode,
                                            syspath: strippingRoot(sysfsRoot, from: resolved))
        if let usb = usbDevice(above: resolved, sysfsRoot: sysfsRoot) {
            description.vendorID = usb.vendorID
            description.productID = usb.productID
            description.serial = usb.serial
            description.portPath = usb.portPath
        }
        description.links = links[devnode] ?? []
        return description
    }

    /// Whether a class device is real hardware (rules in the type's documentation).
    public static func isHardware(subsystem: String, name: String, resolvedPath: String) -> Bool {
        switch subsystem {
        case "tty":
            guard FileManager.default.fileExists(atPath: join(resolvedPath, "device")) else { return false }
            if let type = readAttribute(join(resolvedPath, "type")), Int(type) == 0 { return false }
            return true
        case "input":
            return name.hasPrefix("event")
        default:
            return true
        }
    }

    /// The USB device (the directory with `idVendor` and `idProduct`) that `path` sits under.
    public static func usbDevice(above path: String, sysfsRoot: String = "/")
        -> (vendorID: String, productID: String, serial: String?, portPath: String)? {
        let devicesFolder = join(sysfsRoot, "sys/devices")
        let stop = realPath(devicesFolder) ?? devicesFolder
        var current = path
        while current.hasPrefix(stop) && current.count > stop.count {
            if let vendor = readAttribute(join(current, "idVendor")),
               let product = readAttribute(join(current, "idProduct")) {
                let serial = readAttribute(join(current, "serial")).flatMap { $0.isEmpty ? nil : $0 }
                return (vendor.lowercased(), product.lowercased(), serial, (current as NSString).lastPathComponent)
            }
            current = (current as NSString).deletingLastPathComponent
        }
        return nil
    }

    /// Maps each devnode (as `/dev/…`) to the stable links under `devRoot` that resolve to it.
    public static func stableLinks(devRoot: String = "/") -> [String: [String]] {
        var map: [String: [String]] = [:]
        for directory in linkDirectories {
            let folder = join(devRoot, directory)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            for name in names.sorted() {
                let link = join(folder, name)
                guard let destination = try? FileManager.default.destinationOfSymbolicLink(atPath: link) else { continue }
                let absolute = destination.hasPrefix("/") ? destination : join(folder, destination)
                let target = strippingRoot(devRoot, from: (absolute as NSString).standardizingPath)
                map[target, default: []].append(strippingRoot(devRoot, from: link))
            }
        }
        return map
    }

    // MARK: Helpers

    /// The trimmed contents of a sysfs attribute file, nil if absent or unreadable.
    static func readAttribute(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path),
              let text = String(data: data, encoding: .utf8) else { return nil }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `KEY=value` lines (uevent files).
    static func keyValues(_ path: String) -> [String: String] {
        var result: [String: String] = [:]
        for line in (readAttribute(path) ?? "").split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            result[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        return result
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    static func join(_ root: String, _ relative: String) -> String {
        if root.isEmpty || root == "/" { return relative.hasPrefix("/") ? relative : "/" + relative }
        return (root.hasSuffix("/") ? String(root.dropLast()) : root) + (relative.hasPrefix("/") ? relative : "/" + relative)
    }

    /// `path` with `root` removed from its front (kept absolute), for fake trees.
    static func strippingRoot(_ root: String, from path: String) -> String {
        guard root != "/" && !root.isEmpty else { return path }
        let resolvedRoot = realPath(root) ?? root
        for prefix in [resolvedRoot, root] where path.hasPrefix(prefix) {
            let rest = String(path.dropFirst(prefix.count))
            return rest.hasPrefix("/") ? rest : "/" + rest
        }
        return path
    }
}
