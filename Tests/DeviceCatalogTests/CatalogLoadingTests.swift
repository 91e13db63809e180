import CheckpointConfig
import CheckpointCore
import DeviceCatalog
import Foundation
import Testing
import TestSupport

@Suite("Catalog loading")
struct CatalogLoadingTests {
    @Test("A valid model file loads with its transport, match rule, protocol table and scaling")
    func loadsValidModel() throws {
        let dir = try TemporaryCatalog()
        defer { dir.remove() }
        try dir.write("thermometers/probe-a.toml", thermometerModel("probe-a"))
        let catalog = Catalog.load(directory: dir.path)
        #expect(catalog.errors.isEmpty, "\(catalog.errors)")
        let model = try #require(catalog.model("probe-a"))
        #expect(model.role == .thermometer)
        #expect(model.family == "modbus-rtu")
        #expect(model.transport.serialSettings == SerialSettings(baudRate: 19200, dataBits: 8, parity: .even, stopBits: 1))
        #expect(model.match.usb == [DeviceMatchRule.USBID(vendor: "1a86", product: "7523")])
        #expect(try model.protocolParameters.int("slave") == 7)
        let scaling = try #require(model.temperature)
        #expect(scaling.kind == .ambient)
        #expect(scaling.range == -40.0...125.0)
        #expect(abs(scaling.sensorCelsius(raw: 215) - 21.0) < 1e-9)
    }

    @Test("The temperature contract: °C = raw × scale + model offset + unit offset; the range is checked before the unit offset")
    func temperatureContract() throws {
        let scaling = TemperatureScaling(kind: .body, scale: 0.01, offset: 0.2, range: 30...42)
        let reading = try #require(scaling.reading(raw: 3650, unitOffset: -0.3, device: "usb:1a86:7523@1-1.2"))
        #expect(abs(reading.celsius - 36.4) < 1e-9)
        #expect(reading.raw == 3650)
        #expect(reading.kind == .body)
        #expect(reading.device == "usb:1a86:7523@1-1.2")
        #expect(scaling.reading(raw: 4200, unitOffset: 0, device: "d") == nil, "42.2 °C lies outside 30…42")
        #expect(scaling.reading(raw: 2970, unitOffset: 5, device: "d") == nil, "29.9 °C is outside even though +5 would bring it in")
    }

    @Test("Every bad file is reported with file, line and key while the good ones still load")
    func reportsAllErrors() throws {
        let dir = try TemporaryCatalog()
        defer { dir.remove() }
        try dir.write("thermometers/good.toml", thermometerModel("good"))
        let badBaud = try dir.write("thermometers/bad-baud.toml", thermometerModel("bad-baud").replacingOccurrences(of: "baud = 19200", with: "baud = 12345"))
        let unknownKey = try dir.write("thermometers/typo.toml", thermometerModel("typo").replacingOccurrences(of: "offset = -0.5", with: "ofset = -0.5"))
        let wrongName = try dir.write("scanners/other-name.toml", thermometerModel("not-the-file-name"))
        let syntax = try dir.write("thermometers/syntax.toml", "model = \"syntax\"\nname = \n")
        let catalog = Catalog.load(directory: dir.path)
        #expect(catalog.models.map(\.model) == ["good"])
        #expect(catalog.errors.count == 4)
        let byFile = Dictionary(catalog.errors.map { ($0.file, $0) }, uniquingKeysWith: { a, _ in a })
        let baud = try #require(byFile[badBaud])
        #expect(baud.key == "transport.baud")
        #expect(baud.line == 12)
        let typo = try #require(byFile[unknownKey])
        #expect(typo.key == "temperature.ofset")
        #expect(typo.line == 21)
        #expect(typo.description.contains("did you mean \"offset\""))
        let name = try #require(byFile[wrongName])
        #expect(name.key == "model")
        #expect(name.line == 1)
        #expect(name.description.contains("other-name"))
        let syn = try #require(byFile[syntax])
        #expect(syn.line == 2)
    }

    @Test("A thermometer without [temperature] and a scanner with one are both rejected")
    func roleNeedsTemperature() throws {
        let dir = try TemporaryCatalog()
        defer { dir.remove() }
        let noTemp = String(thermometerModel("no-temp").split(separator: "[temperature]")[0])
        try dir.write("no-temp.toml", noTemp)
        try dir.write("scan.toml", thermometerModel("scan").replacingOccurrences(of: "role = \"thermometer\"", with: "role = \"scanner\""))
        let catalog = Catalog.load(directory: dir.path)
        #expect(catalog.models.isEmpty)
        #expect(catalog.errors.map(\.key).sorted() == ["temperature", "temperature"])
        #expect(catalog.errors.first { $0.file.hasSuffix("scan.toml") }?.line == 18)
    }

    @Test("A family rejects its own unknown protocol key, naming the line; an unknown family is named too")
    func familyValidation() throws {
        let dir = try TemporaryCatalog()
        defer { dir.remove() }
        try dir.write("a.toml", thermometerModel("a"))
        try dir.write("b.toml", thermometerModel("b").replacingOccurrences(of: "slave = 7", with: "slave = 7\nslaveId = 3"))
        try dir.write("c.toml", thermometerModel("c", family: "no-such-family"))
        let modbus = ProtocolFamily(name: "modbus-rtu", role: .thermometer, transports: [.serial]) { model throws(ConfigError) in
            _ = try model.protocolParameters.int("slave", in: 1...247)
            try model.protocolParameters.rejectUnknownKeys(["slave"])
        }
        let catalog = Catalog.load(directory: dir.path, families: [modbus])
        #expect(catalog.models.map(\.model) == ["a"])
        let b = try #require(catalog.errors.first { $0.file.hasSuffix("b.toml") })
        #expect(b.key == "protocol.slaveId")
        #expect(b.line == 17)
        let c = try #require(catalog.errors.first { $0.file.hasSuffix("c.toml") })
        #expect(c.key == "family")
        #expect(c.line == 4)
    }

    @Test("Two files defining the same model id: the second is an error")
    func duplicateID() throws {
        let dir = try TemporaryCatalog()
        defer { dir.remove() }
        try dir.write("a/same.toml", thermometerModel("same"))
        try dir.write("b/same.toml", thermometerModel("same"))
        let catalog = Catalog.load(directory: dir.path)
        #expect(catalog.models.count == 1)
        #expect(catalog.errors.count == 1)
        #expect(catalog.errors.first?.description.contains("already defined") == true)
    }

    @Test("A missing catalog directory is an error, not an empty catalog that looks fine")
    func missingDirectory() {
        let catalog = Catalog.load(directory: "/nonexistent/Devices")
        #expect(catalog.models.isEmpty)
        #expect(catalog.errors.count == 1)
    }

    @Test("The shipped Devices/ catalog loads without errors")
    func shippedCatalogLoads() {
        let dir = BuildProducts.packageRoot.appendingPathComponent("Devices").path
        let catalog = Catalog.load(directory: dir)
        #expect(catalog.errors.isEmpty, "\(catalog.errors.map(\.description))")
        #expect(catalog.models.filter { $0.role == .thermometer }.count >= 7)
    }

    @Test("A surface model may declare a conversion to body temperature; any other kind may not")
    func bodyConversion() throws {
        let dir = try TemporaryCatalog()
        defer { dir.remove() }
        let surface = thermometerModel("skin").replacingOccurrences(of: "kind = \"ambient\"", with: "kind = \"surface\"")
            .replacingOccurrences(of: "range = [-40.0, 125.0]", with: "range = [-40.0, 125.0]\ntoBody = { offset = 2.6 }")
        try dir.write("skin.toml", surface)
        try dir.write("air.toml", thermometerModel("air").replacingOccurrences(of: "range = [-40.0, 125.0]", with: "range = [-40.0, 125.0]\ntoBody = { offset = 2.6 }"))
        let catalog = Catalog.load(directory: dir.path)
        let conversion = try #require(catalog.model("skin")?.temperature?.bodyConversion)
        #expect(abs(conversion.bodyCelsius(fromSurface: 34.0) - 36.6) < 1e-9)
        #expect(catalog.errors.count == 1)
        #expect(catalog.errors.first?.key == "temperature.toBody")
        #expect(catalog.errors.first?.line == 23)
    }
}
