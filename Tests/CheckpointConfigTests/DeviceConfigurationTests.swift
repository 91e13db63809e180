import CheckpointCore
import Testing
@testable import CheckpointConfig

@Suite("Device and calibration sections")
struct DeviceConfigurationTests {
    private let text = """
    gate = "gate-01"

    [[device]]
    id = "thermo-north"
    model = "lu90614"
    path = "/dev/ttyUSB0"

    [[device]]
    id = "air"
    match = { usb = "1A86:7523", port = "1-1.2" }

    [calibration]
    "usb:1a86:7523@1-1.2" = 0.3
    thermo-north = -0.2
    """

    @Test("Devices by path and by selector are read; the selector matches by VID:PID and port suffix")
    func parsesDevices() throws {
        let doc = try ConfigDocument(text: text, file: "gate.toml")
        let devices = try DeviceConfiguration.parseAll(doc.root)
        #expect(devices.map(\.id) == ["thermo-north", "air"])
        #expect(devices[0].location == .path("/dev/ttyUSB0"))
        guard case .match(let selector) = devices[1].location else { Issue.record("expected a selector"); return }
        #expect(devices[1].model == nil)
        let plugged = DeviceDescription(subsystem: "tty", devnode: "/dev/ttyUSB1", vendorID: "1a86", productID: "7523", portPath: "1-1.2")
        #expect(selector.matches(plugged))
        var elsewhere = plugged
        elsewhere.portPath = "1-1.3"
        #expect(!selector.matches(elsewhere))
    }

    @Test("Calibration offsets are looked up by device id first, then by identity")
    func calibration() throws {
        let doc = try ConfigDocument(text: text, file: "gate.toml")
        let table = try CalibrationTable.parse(doc.root)
        #expect(table.offset(deviceID: "thermo-north", identity: "x") == -0.2)
        #expect(table.offset(deviceID: "air", identity: "usb:1a86:7523@1-1.2") == 0.3)
        #expect(table.offset(deviceID: nil, identity: "other") == 0)
    }

    @Test("Mistakes name file, line and key: a path device without model, both path and match, an offset too large, a duplicate id")
    func errors() throws {
        func error(_ body: String) throws -> ConfigError? {
            let doc = try ConfigDocument(text: body, file: "g.toml")
            do {
                _ = try DeviceConfiguration.parseAll(doc.root)
                _ = try CalibrationTable.parse(doc.root)
                return nil
            } catch { return error }
        }
        let noModel = try error("[[device]]\nid = \"a\"\npath = \"/dev/ttyS0\"\n")
        #expect(noModel?.key == "device[0].model")
        #expect(noModel?.line == 1)
        let both = try error("[[device]]\nid = \"a\"\nmodel = \"m\"\npath = \"/dev/x\"\nmatch = { usb = \"1a86:7523\" }\n")
        #expect(both?.key == "device[0].match")
        #expect(both?.line == 5)
        let tooBig = try error("[calibration]\nsensor = 9.5\n")
        #expect(tooBig?.description == "g.toml:2: calibration.sensor: 9.5 is outside -5.0…5.0")
        let twice = try error("[[device]]\nid = \"a\"\nmodel = \"m\"\npath = \"/dev/x\"\n[[device]]\nid = \"a\"\nmodel = \"m\"\npath = \"/dev/y\"\n")
        #expect(twice?.key == "device[1].id")
        #expect(twice?.line == 6)
        let badUSB = try error("[[device]]\nid = \"a\"\nmatch = { usb = \"1a86-7523\" }\n")
        #expect(badUSB?.key == "device[0].match.usb")
        #expect(badUSB?.line == 3)
    }

    @Test("A device with only a model is found by that model's catalog [match]; with neither model, path nor match it is an error")
    func modelAlone() throws {
        let doc = try ConfigDocument(text: "[[device]]\nid = \"north\"\nmodel = \"honeywell-hidpos\"\n", file: "g.toml")
        let devices = try DeviceConfiguration.parseAll(doc.root)
        #expect(devices.map(\.location) == [.catalogMatch])
        #expect(devices.first?.model == "honeywell-hidpos")
        let bare = try ConfigDocument(text: "[[device]]\nid = \"north\"\n", file: "g.toml")
        #expect(throws: ConfigError.self) { try DeviceConfiguration.parseAll(bare.root) }
    }
}
