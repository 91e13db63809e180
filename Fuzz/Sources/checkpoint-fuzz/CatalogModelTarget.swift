import CheckpointConfig
import DeviceCatalog
import DeviceFamilies
import IDCards
import Scanners
import Thermometers

/// A device catalog file parsed as the catalog loader does, then checked against every protocol
/// family and turned into the family's runtime object (codec, scanner profile, reader session).
/// Contract checked: a model the loader accepts always builds its runtime object.
enum CatalogModelTarget {
    static let target = FuzzTarget(
        name: "config-catalog",
        summary: "a Devices/*.toml catalog file in: a validated model and its codec/profile/session, or errors",
        seeds: { ["thermometers", "scanners", "idreaders"].flatMap { RepositoryFiles.files(in: "Devices/\($0)", suffix: ".toml") } },
        body: run)

    static func run(_ bytes: [UInt8]) {
        guard let text = String(bytes: bytes, encoding: .utf8),
              let document = try? ConfigDocument(text: text, file: "fuzz.toml"),
              let model = try? CatalogModel(document: document, expectedID: nil),
              (try? Catalog.check(model, against: FuzzCatalog.families)) != nil
        else { return }
        if ThermometerFamilies.all.contains(where: { $0.name == model.family }) {
            FuzzCheck.require((try? ThermometerSession(model: model, device: "fuzz")) != nil,
                              "an accepted thermometer model builds no session")
        } else if model.family == IDReaderFamily.name {
            FuzzCheck.require((try? IDReaderFamily.session(for: model, device: "fuzz")) != nil,
                              "an accepted ID reader model builds no session")
        } else {
            FuzzCheck.require((try? ScannerFamilies.profile(for: model)) != nil, "an accepted scanner model builds no profile")
        }
    }
}
