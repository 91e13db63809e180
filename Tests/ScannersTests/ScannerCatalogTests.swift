import CheckpointConfig
import CheckpointCore
import DeviceCatalog
import DeviceFamilies
import Foundation
import Scanners
import TestSupport
import Testing

@Suite("Scanner models in the catalog")
struct ScannerCatalogTests {
    var scannersDirectory: String { BuildProducts.packageRoot.appendingPathComponent("Devices/scanners").path }

    @Test("Every shipped scanner model loads, passes its family's validation and builds a decoder")
    func shippedModels() throws {
        let catalog = Catalog.load(directory: scannersDirectory, families: ScannerFamilies.all)
        #expect(catalog.errors.isEmpty, "\(catalog.errors)")
        #expect(catalog.models.count >= 9)
        for model in catalog.models {
            let profile = try ScannerFamilies.profile(for: model)
            #expect(profile.model == model.model)
        }
        let gm65 = try ScannerFamilies.profile(for: try #require(catalog.model("gm65")))
        #expect(gm65.commandSet == .gm65)
        let gbk = try ScannerFamilies.profile(for: try #require(catalog.model("serial-gbk-generic")))
        #expect(gbk.rules.encoding == .gbk)
        if case .serial(let framing, _) = gbk.decoding { #expect(framing.suffix == [0x0D, 0x0A]) } else { Issue.record("serial expected") }
        let de = try ScannerFamilies.profile(for: try #require(catalog.model("wedge-de")))
        if case .keyboardWedge(let layout, _, _, _, _) = de.decoding {
            #expect(layout.name == "de")
            #expect(layout.character(for: 21, shift: false, capsLock: false, altGr: false) == "z")
        } else { Issue.record("wedge expected") }
    }

    @Test("A misspelt [protocol] key and a bad hex suffix are errors naming file, line and key")
    func badFiles() throws {
        let dir = try TestEnvironment.temporaryDirectory("scanner-catalog")
        defer { try? FileManager.default.removeItem(at: dir) }
        let base = """
        model = "MODEL"
        name = "x"
        role = "scanner"
        family = "serial-scanner"
        [transport]
        kind = "serial"
        [protocol]

        """
        try (base.replacingOccurrences(of: "MODEL", with: "typo") + "sufix = \"0D\"\n").write(to: dir.appendingPathComponent("typo.toml"), atomically: true, encoding: .utf8)
        try (base.replacingOccurrences(of: "MODEL", with: "badhex") + "suffix = \"0G\"\n").write(to: dir.appendingPathComponent("badhex.toml"), atomically: true, encoding: .utf8)
        let catalog = Catalog.load(directory: dir.path, families: ScannerFamilies.all)
        #expect(catalog.models.isEmpty)
        let messages = catalog.errors.map(\.description)
        #expect(messages.count == 2)
        #expect(messages.contains { $0.contains("typo.toml:8") && $0.contains("protocol.sufix") && $0.contains("did you mean \"suffix\"") })
        #expect(messages.contains { $0.contains("badhex.toml:8") && $0.contains("protocol.suffix") })
    }

    @Test("A keyboard layout file with a multi-character level or an unknown key name is rejected with its line")
    func badLayout() {
        #expect(throws: ConfigError.self) { try KeyboardLayout.parse(text: "name = \"x\"\n[keys]\nKEY_A = [\"ab\"]\n", file: "x.layout") }
        do {
            _ = try KeyboardLayout.parse(text: "name = \"x\"\nbase = \"us\"\n[keys]\nKEY_AA = [\"a\"]\n", file: "x.layout")
            Issue.record("an unknown key name must be rejected")
        } catch {
            #expect(error.description.contains("x.layout:4"))
            #expect(error.description.contains("keys.KEY_AA"))
        }
    }
}
