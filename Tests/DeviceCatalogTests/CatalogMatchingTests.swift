import CheckpointCore
import DeviceCatalog
import Testing

@Suite("Catalog matching")
struct CatalogMatchingTests {
    @Test("A device is matched to the one model whose VID:PID it has")
    func uniqueMatch() throws {
        let (catalog, dir) = try loadedCatalog([("a.toml", thermometerModel("a", usb: "1a86:7523")), ("b.toml", thermometerModel("b", usb: "0403:6001"))])
        defer { dir.remove() }
        let device = DeviceDescription(subsystem: "tty", devnode: "/dev/ttyUSB0", vendorID: "0403", productID: "6001")
        let match = catalog.match(device)
        #expect(match.model?.model == "b")
    }

    @Test("Several models with the same VID:PID are reported as ambiguous, not guessed")
    func ambiguous() throws {
        let (catalog, dir) = try loadedCatalog([("a.toml", thermometerModel("a")), ("b.toml", thermometerModel("b"))])
        defer { dir.remove() }
        let device = DeviceDescription(subsystem: "tty", devnode: "/dev/ttyUSB0", vendorID: "1A86", productID: "7523")
        guard case .ambiguous(let models, _) = catalog.match(device) else {
            Issue.record("expected ambiguous, got \(catalog.match(device).summary)")
            return
        }
        #expect(models.map(\.model) == ["a", "b"])
    }

    @Test("A udev property requirement breaks the tie, and a device lacking it is not matched by that model")
    func propertiesScore() throws {
        let withProperty = thermometerModel("c").replacingOccurrences(of: "subsystem = \"tty\"", with: "subsystem = \"tty\"\nproperties = { ID_MODEL = \"LU90614\" }")
        let (catalog, dir) = try loadedCatalog([("a.toml", thermometerModel("a")), ("c.toml", withProperty)])
        defer { dir.remove() }
        var device = DeviceDescription(subsystem: "tty", devnode: "/dev/ttyUSB0", vendorID: "1a86", productID: "7523",
                                       properties: ["ID_MODEL": "LU90614"])
        #expect(catalog.match(device).model?.model == "c")
        device.properties = [:]
        #expect(catalog.match(device).model?.model == "a")
    }

    @Test("Wrong subsystem or no USB ids: no match")
    func noMatch() throws {
        let (catalog, dir) = try loadedCatalog([("a.toml", thermometerModel("a"))])
        defer { dir.remove() }
        #expect(catalog.match(DeviceDescription(subsystem: "hidraw", devnode: "/dev/hidraw0", vendorID: "1a86", productID: "7523")).summary == "none")
        #expect(catalog.match(DeviceDescription(subsystem: "tty", devnode: "/dev/ttyS0")).summary == "none")
        #expect(catalog.match(DeviceDescription(subsystem: "tty", devnode: "/dev/ttyUSB0", vendorID: "1a86", productID: "7523"), role: .scanner).summary == "none")
    }
}
