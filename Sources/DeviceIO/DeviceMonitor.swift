import CUdev
import CheckpointCore
import Foundation
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// Hotplug: a libudev netlink monitor whose socket is a descriptor in the `EventLoop`; "add" and
/// "remove" events of the discovery subsystems reach the handler as `DeviceDescription`s.
///
/// Source: `udev` events (processed by udevd, with `ID_*` properties and links) when udevd runs,
/// `kernel` events (raw uevents, described from sysfs on "add") when it does not. Removed devices
/// are described from the event alone (their sysfs directory is gone): subsystem, devnode, syspath,
/// properties. Other actions (change, bind, unbind, move) and non-`event*` input nodes are ignored.
///
/// Concurrency: `@unchecked Sendable`; the libudev context and monitor are used only on the loop
/// thread after `init` (libudev is not thread-safe), the registration is guarded by a `Mutex`.
// @unchecked: the libudev handles are C pointers used only on the loop thread after `init`.
public final class DeviceMonitor: @unchecked Sendable {
    /// A hotplug event.
    public enum Event: Sendable, Equatable {
        case added(DeviceDescription)
        case removed(DeviceDescription)
    }

    /// Where events come from.
    public enum Source: String, Sendable {
        /// After udevd processed them (rules applied, properties and links present).
        case udev
        /// Straight from the kernel (no udevd); descriptions come from sysfs.
        case kernel
    }

    public typealias Handler = @Sendable (Event) -> Void

    public let source: Source
    public let subsystems: [String]
    private let udev: Udev
    private let monitor: OpaquePointer
    private let registration = Mutex<EventLoop.Registration?>(nil)
    private let loop: EventLoop
    private let handler: Handler
    private let logger: Logger

    /// Opens the netlink monitor (source: `udev` if udevd runs, else `kernel`, unless given),
    /// filters `subsystems`, and registers its socket with `loop`.
    public init(loop: EventLoop, subsystems: [String] = SysfsDeviceInfo.subsystems, source: Source? = nil,
                logger: Logger = Logger(label: "checkpoint.hotplug"), handler: @escaping Handler) throws {
        guard let udev = Udev() else { throw DeviceDiscoveryError.udev(call: "udev_new", errno: errno) }
        let source = source ?? (Udev.daemonIsRunning ? .udev : .kernel)
        guard let monitor = udev_monitor_new_from_netlink(udev.handle, source.rawValue) else {
            throw DeviceDiscoveryError.udev(call: "udev_monitor_new_from_netlink(\"\(source.rawValue)\")", errno: errno)
        }
        for subsystem in subsystems {
            let status = udev_monitor_filter_add_match_subsystem_devtype(monitor, subsystem, nil)
            if status < 0 {
                udev_monitor_unref(monitor)
                throw DeviceDiscoveryError.udev(call: "udev_monitor_filter_add_match_subsystem_devtype(\(subsystem))", errno: -status)
            }
        }
        let status = udev_monitor_enable_receiving(monitor)
        guard status >= 0 else {
            udev_monitor_unref(monitor)
            throw DeviceDiscoveryError.udev(call: "udev_monitor_enable_receiving", errno: -status)
        }
        self.udev = udev
        self.monitor = monitor
        self.source = source
        self.subsystems = subsystems
        self.loop = loop
        self.handler = handler
        self.logger = logger
        do {
            let registered = try loop.register(fileDescriptor: udev_monitor_get_fd(monitor), interest: .readable) { [weak self] _ in
                self?.receive()
            }
            registration.withLock { $0 = registered }
        } catch {
            udev_monitor_unref(monitor)
            throw error
        }
    }

    deinit {
        stop()
        udev_monitor_unref(monitor)
    }

    /// The netlink socket (registered with the loop).
    public var fileDescriptor: Int32 { udev_monitor_get_fd(monitor) }

    /// True while the socket is registered with the loop.
    public var isRunning: Bool { registration.withLock { $0 != nil } }

    /// Stops listening (deregisters the socket). Idempotent.
    public func stop() {
        let old = registration.withLock { value -> EventLoop.Registration? in
            defer { value = nil }
            return value
        }
        if let old { loop.deregister(old) }
    }

    /// Whether an event with `action` for `sysname` in `subsystem` is one the handler hears.
    public static func wants(action: String, subsystem: String, sysname: String, subsystems: [String]) -> Bool {
        guard action == "add" || action == "remove", subsystems.contains(subsystem) else { return false }
        if subsystem == "input" { return sysname.hasPrefix("event") }
        return true
    }

    private func receive() {
        while let device = udev_monitor_receive_device(monitor) {
            defer { udev_device_unref(device) }
            guard let action = udev_device_get_action(device).map({ String(cString: $0) }),
                  let subsystem = udev_device_get_subsystem(device).map({ String(cString: $0) }),
                  let sysname = udev_device_get_sysname(device).map({ String(cString: $0) }),
                  Self.wants(action: action, subsystem: subsystem, sysname: sysname, subsystems: subsystems)
            else { continue }
            if action == "add" {
                guard let description = DeviceDiscovery.describe(device, fallbackLinks: SysfsDeviceInfo.stableLinks()) else {
                    continue
                }
                logger.info("device added: \(description.devnode) (\(description.identity))")
                handler(.added(description))
            } else {
                var properties: [String: String] = [:]
                for (key, value) in Udev.pairs(udev_device_get_properties_list_entry(device)) { properties[key] = value ?? "" }
                let devnode = udev_device_get_devnode(device).map { String(cString: $0) } ?? "/dev/\(sysname)"
                let syspath = udev_device_get_syspath(device).map { String(cString: $0) } ?? ""
                let description = DeviceDiscovery.description(
                    subsystem: subsystem, devnode: devnode, syspath: syspath, properties: properties,
                    devlinks: Udev.pairs(udev_device_get_devlinks_list_entry(device)).map(\.name), fallbackLinks: [:])
                logger.info("device removed: \(description.devnode)")
                handler(.removed(description))
            }
        }
    }
}
