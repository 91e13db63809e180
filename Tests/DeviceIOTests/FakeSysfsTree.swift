import Foundation
import TestSupport

/// A fake sysfs + /dev tree in a temp dir, laid out like a real kernel's: a CH340 (no serial) at
/// USB port 1-1.2, an FTDI with a serial at 1-1.3, a HID scanner (hidraw + keyboard event node) at
/// 1-1.4, a real 16550 UART ttyS0, a placeholder ttyS1 (type 0), a virtual console tty0, and
/// stable links under dev/serial.
enum FakeSysfsTree {
    static func make() throws -> String {
        let root = try TestEnvironment.temporaryDirectory("fake-sysfs").path
        let usb = "sys/devices/pci0000:00/0000:00:14.0/usb1/1-1"
        // CH340 on 1-1.2, no serial attribute.
        try directory(root, "\(usb)/1-1.2", files: ["idVendor": "1a86\n", "idProduct": "7523\n"])
        try classDevice(root, subsystem: "tty", name: "ttyUSB0",
                        path: "\(usb)/1-1.2/1-1.2:1.0/ttyUSB0/tty/ttyUSB0", deviceLink: "../..")
        // FTDI on 1-1.3 with a serial.
        try directory(root, "\(usb)/1-1.3", files: ["idVendor": "0403\n", "idProduct": "6001\n", "serial": "A50285BI\n"])
        try classDevice(root, subsystem: "tty", name: "ttyUSB1",
                        path: "\(usb)/1-1.3/1-1.3:1.0/ttyUSB1/tty/ttyUSB1", deviceLink: "../..")
        // HID scanner on 1-1.4: hidraw0 and a keyboard input (event3, mouse0 and input5 ignored).
        try directory(root, "\(usb)/1-1.4", files: ["idVendor": "0483\n", "idProduct": "5750\n", "serial": "SCN001\n"])
        let hid = "\(usb)/1-1.4/1-1.4:1.0/0003:0483:5750.0001"
        try classDevice(root, subsystem: "hidraw", name: "hidraw0", path: "\(hid)/hidraw/hidraw0", deviceLink: "../../../0003:0483:5750.0001")
        try classDevice(root, subsystem: "input", name: "event3", path: "\(hid)/input/input5/event3", devname: "input/event3")
        try classDevice(root, subsystem: "input", name: "mouse0", path: "\(hid)/input/input5/mouse0", devname: "input/mouse0")
        // A real UART (type 4 = 16550A) and a placeholder (type 0).
        try directory(root, "sys/devices/pnp0/00:00", files: [:])
        try classDevice(root, subsystem: "tty", name: "ttyS0", path: "sys/devices/pnp0/00:00/tty/ttyS0",
                        deviceLink: "../../../00:00", files: ["type": "4\n"])
        try directory(root, "sys/devices/platform/serial8250", files: [:])
        try classDevice(root, subsystem: "tty", name: "ttyS1", path: "sys/devices/platform/serial8250/tty/ttyS1",
                        deviceLink: "../../../serial8250", files: ["type": "0\n"])
        // A virtual console: no device link.
        try classDevice(root, subsystem: "tty", name: "tty0", path: "sys/devices/virtual/tty/tty0")
        // Stable links.
        try directory(root, "dev/serial/by-id", files: [:])
        try directory(root, "dev/serial/by-path", files: [:])
        try FileManager.default.createSymbolicLink(atPath: "\(root)/dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A50285BI-if00-port0",
                                                   withDestinationPath: "../../ttyUSB1")
        try FileManager.default.createSymbolicLink(atPath: "\(root)/dev/serial/by-path/pci-0000:00:14.0-usb-0:1.2:1.0-port0",
                                                   withDestinationPath: "../../ttyUSB0")
        return root
    }

    private static func directory(_ root: String, _ path: String, files: [String: String]) throws {
        let full = "\(root)/\(path)"
        try FileManager.default.createDirectory(atPath: full, withIntermediateDirectories: true)
        for (name, contents) in files {
            try contents.write(toFile: "\(full)/\(name)", atomically: false, encoding: .utf8)
        }
    }

    private static func classDevice(_ root: String, subsystem: String, name: String, path: String,
                                    deviceLink: String? = nil, devname: String? = nil, files: [String: String] = [:]) throws {
        var contents = files
        contents["uevent"] = "MAJOR=188\nMINOR=0\nDEVNAME=\(devname ?? name)\n"
        try directory(root, path, files: contents)
        if let deviceLink {
            try FileManager.default.createSymbolicLink(atPath: "\(root)/\(path)/device", withDestinationPath: deviceLink)
        }
        try directory(root, "sys/class/\(subsystem)", files: [:])
        let depth = "sys/class/\(subsystem)".split(separator: "/").count
        try FileManager.default.createSymbolicLink(atPath: "\(root)/sys/class/\(subsystem)/\(name)",
                                                   withDestinationPath: String(repeating: "../", count: depth) + path)
    }
}
