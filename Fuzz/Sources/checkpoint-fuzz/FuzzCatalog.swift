import DeviceCatalog
import IDCards
import Scanners
import Thermometers

/// The repository's device catalog, loaded once with every protocol family the product knows.
enum FuzzCatalog {
    static let families: [ProtocolFamily] =
        ThermometerFamilies.protocolFamilies + ScannerFamilies.all + [IDReaderFamily.protocolFamily]

    static let catalog: Catalog = Catalog.load(directory: RepositoryFiles.catalogDirectory, families: families)

    /// The catalog models of `family`, by model id.
    static func models(family: String) -> [CatalogModel] {
        catalog.models.filter { $0.family == family }.sorted { $0.model < $1.model }
    }
}
