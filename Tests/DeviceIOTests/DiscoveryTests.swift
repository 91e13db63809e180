import CheckpointCore
@testable import DeviceIO
import Foundation
import TestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("Discovery")
struct DiscoveryTests {
    @Test("libudev enumerates this machine's devices without crashing, and every description is well-formed")
    func enumerateThisMachine() throws {
        let devices = try DeviceDiscovery.enumerate()
        for device in devices {
            #expect(SysfsDeviceInfo.subsystems.contains(device.subsystem), "\(device)")
            #expect(device.devnode.hasPrefix("/dev/"), "\(device)")
            #expect(device.syspath?.hasPrefix("/sys/") == true, "\(device)")
            if let vendor = device.vendorID { #expect(vendor.count == 4 && vendor == vendor.lowercased(), "\(device)") }
            if device.subsystem == "input" { #expect(device.devnode.contains("/event"), "\(device)") }
            #expect(!device.identity.isEmpty)
        }
        let devnodes = Set(devices.map(\.devnode))
        for virtual in ["/dev/tty0", "/dev/console", "/dev/ptmx", "/dev/tty"] {
            #expect(!devnodes.contains(virtual), "\(virtual) is not hardware")
        }
        // The pure-sysfs enumeration sees the same nodes as libudev.
        #expect(Set(SysfsDeviceInfo.enumerate().map(\.devnode)) == devnodes)
    }

    @Test("The sysfs fallback on a fake sysfs tree gives vendor, product, serial, port and links, and skips non-hardware")
    func fakeSysfsTree() throws {
        let root = try FakeSysfsTree.make()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let devices = SysfsDeviceInfo.enumerate(sysfsRoot: root, devRoot: root)
        let byNode = Dictionary(uniqueKeysWithValues: devices.map { ($0.devnode, $0) })
        #expect(byNode.keys.sorted() == ["/dev/hidraw0", "/dev/input/event3", "/dev/ttyS0", "/dev/ttyUSB0", "/dev/ttyUSB1"])

        let ch340 = try #require(byNode["/dev/ttyUSB0"])
        #expect(ch340.vendorID == "1a86" && ch340.productID == "7523")
        #expect(ch340.serial == nil, "CH340 adapters have no serial number")
        #expect(ch340.portPath == "1-1.2")
        #expect(ch340.identity == "usb:1a86:7523@1-1.2")
        #expect(ch340.syspath == "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-1/1-1.2/1-1.2:1.0/ttyUSB0/tty/ttyUSB0")
        #expect(ch340.links == ["/dev/serial/by-path/pci-0000:00:14.0-usb-0:1.2:1.0-port0"])

        let ftdi = try #require(byNode["/dev/ttyUSB1"])
        #expect(ftdi.vendorID == "0403" && ftdi.productID == "6001" && ftdi.serial == "A50285BI" && ftdi.portPath == "1-1.3")
        #expect(ftdi.identity == "usb:0403:6001:A50285BI")
        #expect(ftdi.links == ["/dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A50285BI-if00-port0"])

        let hid = try #require(byNode["/dev/hidraw0"])
        #expect(hid.vendorID == "0483" && hid.productID == "5750" && hid.serial == "SCN001" && hid.portPath == "1-1.4")
        let keyboard = try #require(byNode["/dev/input/event3"])
        #expect(keyboard.subsystem == "input" && keyboard.vendorID == "0483" && keyboard.portPath == "1-1.4")

        let uart = try #require(byNode["/dev/ttyS0"])
        #expect(uart.vendorID == nil && uart.portPath == nil && uart.identity == "/dev/ttyS0")
    }

    @Test("udev properties win over sysfs; missing ones are filled from a fake sysfs tree")
    func propertiesThenSysfs() throws {
        let root = try FakeSysfsTree.make()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let syspath = root + "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-1/1-1.3/1-1.3:1.0/ttyUSB1/tty/ttyUSB1"
        let withUdev = DeviceDiscovery.description(
            subsystem: "tty", devnode: "/dev/ttyUSB1", syspath: syspath,
            properties: ["ID_VENDOR_ID": "0403", "ID_MODEL_ID": "6015", "ID_SERIAL_SHORT": "UDEVSERIAL",
                         "ID_PATH": "pci-0000:00:14.0-usb-0:1.3:1.0"],
            devlinks: ["/dev/serial/by-id/b", "/dev/serial/by-id/a"], fallbackLinks: [:], sysfsRoot: root)
        #expect(withUdev.productID == "6015" && withUdev.serial == "UDEVSERIAL")
        #expect(withUdev.portPath == "pci-0000:00:14.0-usb-0:1.3:1.0")
        #expect(withUdev.links == ["/dev/serial/by-id/a", "/dev/serial/by-id/b"])

        let withoutUdev = DeviceDiscovery.description(
            subsystem: "tty", devnode: "/dev/ttyUSB1", syspath: syspath, properties: ["DEVNAME": "ttyUSB1"],
            devlinks: [], fallbackLinks: ["/dev/ttyUSB1": ["/dev/serial/by-id/x"]], sysfsRoot: root)
        #expect(withoutUdev.vendorID == "0403" && withoutUdev.productID == "6001")
        #expect(withoutUdev.serial == "A50285BI" && withoutUdev.portPath == "1-1.3")
        #expect(withoutUdev.links == ["/dev/serial/by-id/x"])
    }

    @Test("A hotplug monitor opens on netlink and registers its socket with the event loop (events: QEMU tier)")
    func monitorOpens() throws {
        let loop = try EventLoop(name: "t-monitor")
        defer { loop.stop() }
        let monitor = try DeviceMonitor(loop: loop) { _ in }
        #expect(monitor.fileDescriptor >= 0)
        #expect(monitor.isRunning)
        #expect(monitor.source == (FileManager.default.fileExists(atPath: "/run/udev/control") ? .udev : .kernel))
        monitor.stop()
        #expect(!monitor.isRunning)
    }

    /// The uevent file of this machine's first discovered device, if this process may write it
    /// (root, writable sysfs): writing "add" there makes the kernel send a synthetic uevent.
    static var writableUeventOfFirstDevice: String? {
        guard let syspath = (try? DeviceDiscovery.enumerate())?.first?.syspath else { return nil }
        let path = syspath + "/uevent"
        return access(path, W_OK) == 0 ? path : nil
    }

    @Test("A synthetic kernel \"add\" uevent for a real device reaches the monitor's handler on the loop thread as .added",
          .enabled(if: writableUeventOfFirstDevice != nil, "needs a device whose sysfs uevent file this process may write (root)"))
    func monitorReceivesSyntheticAdd() async throws {
        let device = try #require(try DeviceDiscovery.enumerate().first)
        let loop = try EventLoop(name: "t-uevent")
        defer { loop.stop() }
        let events = Recorder<(DeviceMonitor.Event, Bool)>()
        let monitor = try DeviceMonitor(loop: loop) { event in events.append((event, loop.inLoopThread)) }
        defer { monitor.stop() }
        // "add" only: a synthetic "remove" would make a running udevd delete the device node.
        try "add\n".write(toFile: try #require(device.syspath) + "/uevent", atomically: false, encoding: .utf8)
        let arrived = await waitUntil {
            events.values.contains { if case .added(let d) = $0.0 { d.devnode == device.devnode } else { false } }
        }
        #expect(arrived)
        let match = events.values.first { if case .added(let d) = $0.0 { d.devnode == device.devnode } else { false } }
        guard let (event, onLoop) = match, case .added(let described) = event else { return }
        #expect(onLoop)
        #expect(described.subsystem == device.subsystem && described.syspath == device.syspath)
        #expect(described.identity == device.identity)
    }

    @Test("The monitor's filter passes add and remove of tty, hidraw and input event nodes only")
    func monitorFilter() {
        let subsystems = SysfsDeviceInfo.subsystems
        #expect(DeviceMonitor.wants(action: "add", subsystem: "tty", sysname: "ttyUSB0", subsystems: subsystems))
        #expect(DeviceMonitor.wants(action: "remove", subsystem: "hidraw", sysname: "hidraw1", subsystems: subsystems))
        #expect(DeviceMonitor.wants(action: "add", subsystem: "input", sysname: "event7", subsystems: subsystems))
        #expect(!DeviceMonitor.wants(action: "add", subsystem: "input", sysname: "mouse0", subsystems: subsystems))
        #expect(!DeviceMonitor.wants(action: "change", subsystem: "tty", sysname: "ttyUSB0", subsystems: subsystems))
        #expect(!DeviceMonitor.wants(action: "bind", subsystem: "tty", sysname: "ttyUSB0", subsystems: subsystems))
        #expect(!DeviceMonitor.wants(action: "add", subsystem: "block", sysname: "sda", subsystems: subsystems))
    }
}
