import DeviceCatalog
import DeviceFamilies

/// The repository's device catalog, loaded once with every protocol family the product knows.
enum FuzzCatalog {
    static let families: [ProtocolFamily] = CatalogFamilies.all

    static let catalog: Catalog = Catalog.load(directory: RepositoryFiles.catalogDirectory, families: families)

    /// The catalog models of `family`, by model id.
    static func models(family: String) -> [CatalogModel] {
        catalog.models.filter { $0.family == family }.sorted { $0.model < $1.model }
    }
}
