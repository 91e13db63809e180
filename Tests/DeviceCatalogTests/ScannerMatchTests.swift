import CheckpointCore
import DeviceCatalog
import Testing

@Suite("Catalog [match] for scanners: vendor-wide ids, interfaces and the node a transport opens")
struct ScannerMatchTests {
    private func scannerModel(_ id: String, kind: String, match: String) -> String {
        """
        model = "\(id)"
        name = "Test scanner \(id)"
        role = "scanner"
        family = "\(kind == "evdev" ? "keyboard-wedge" : "hid-pos")"

        [match]
        \(match)

        [transport]
        kind = "\(kind)"
        """
    }

    private func keyboard(_ node: String, keyboard: Bool = true, interface: String = "00") -> DeviceDescription {
        var properties = ["ID_USB_INTERFACE_NUM": interface]
        if keyboard { properties["ID_INPUT_KEYBOARD"] = "1" }
        return DeviceDescription(subsystem: "input", devnode: "/dev/input/\(node)", vendorID: "0c2e", productID: "0b61", properties: properties)
    }

    @Test("A vendor-wide VID:* matches any product of that vendor, and an exact VID:PID outweighs it")
    func vendorWide() throws {
        let (catalog, dir) = try loadedCatalog([("any.toml", scannerModel("any", kind: "hidraw", match: "usb = [\"0c2e:*\"]\nsubsystem = \"hidraw\"")),
                                         ("one.toml", scannerModel("one", kind: "hidraw", match: "usb = [\"0C2E:0B07\"]\nsubsystem = \"hidraw\""))])
        defer { dir.remove() }
        #expect(catalog.errors.isEmpty, "\(catalog.errors.map(\.description))")
        let other = DeviceDescription(subsystem: "hidraw", devnode: "/dev/hidraw1", vendorID: "0c2e", productID: "1234")
        #expect(catalog.match(other).model?.model == "any")
        let exact = DeviceDescription(subsystem: "hidraw", devnode: "/dev/hidraw2", vendorID: "0c2e", productID: "0b07")
        #expect(catalog.match(exact).model?.model == "one")
        #expect(catalog.match(DeviceDescription(subsystem: "hidraw", devnode: "/dev/hidraw3", vendorID: "05e0", productID: "1234")).summary == "none")
    }

    @Test("An interface number restricts a model to that USB interface of the device")
    func interfaceNumber() throws {
        let (catalog, dir) = try loadedCatalog([("w.toml", scannerModel("w", kind: "evdev", match: "usb = [\"0c2e:*\"]\ninterface = 1\nsubsystem = \"input\""))])
        defer { dir.remove() }
        #expect(catalog.errors.isEmpty, "\(catalog.errors.map(\.description))")
        #expect(catalog.match(keyboard("event5", interface: "01")).model?.model == "w")
        #expect(catalog.match(keyboard("event4", interface: "00")).summary == "none")
        #expect(catalog.match(DeviceDescription(subsystem: "input", devnode: "/dev/input/event6", vendorID: "0c2e", productID: "0b61")).summary == "none",
                "no interface number known: no match")
    }

    @Test("A [match] with a malformed USB id, an interface out of range, or an interface alone is rejected with its key")
    func malformed() throws {
        let (catalog, dir) = try loadedCatalog([("a.toml", scannerModel("a", kind: "hidraw", match: "usb = [\"0c2e:*1\"]")),
                                         ("b.toml", scannerModel("b", kind: "hidraw", match: "usb = [\"0c2e:*\"]\ninterface = 256")),
                                         ("c.toml", scannerModel("c", kind: "hidraw", match: "interface = 0"))])
        defer { dir.remove() }
        #expect(catalog.models.isEmpty)
        let messages = catalog.errors.map(\.description)
        #expect(messages.count == 3)
        #expect(messages.contains { $0.contains("usb[0]") && $0.contains("VID:*") })
        #expect(messages.contains { $0.contains("interface") && $0.contains("256") })
        #expect(messages.contains { $0.contains("needs usb or properties") })
    }

    @Test("The evdev transport takes only a keyboard's event node, never its mouse or joystick node or a non-keyboard event node")
    func keyboardNodeOnly() {
        let evdev = TransportSpec.Kind.evdev
        #expect(evdev.accepts(keyboard("event5")))
        #expect(!evdev.accepts(keyboard("mouse0")), "a mouse node")
        #expect(!evdev.accepts(keyboard("js0")), "a joystick node")
        #expect(!evdev.accepts(keyboard("event6", keyboard: false)), "the event node of a mouse or consumer-keys interface")
        #expect(!evdev.accepts(DeviceDescription(subsystem: "hidraw", devnode: "/dev/hidraw0", properties: ["ID_INPUT_KEYBOARD": "1"])))
        #expect(TransportSpec.Kind.hidraw.accepts(DeviceDescription(subsystem: "hidraw", devnode: "/dev/hidraw0")))
        #expect(!TransportSpec.Kind.hidraw.accepts(keyboard("event5")))
        #expect(TransportSpec.Kind.serial.accepts(DeviceDescription(subsystem: "tty", devnode: "/dev/ttyACM0")))
    }
}
