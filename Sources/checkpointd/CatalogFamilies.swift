import DeviceCatalog
import Thermometers

/// Every protocol family this program knows, for checking the catalog: a module with families
/// (Scanners) adds its list here.
enum CatalogFamilies {
    static var all: [ProtocolFamily] { ThermometerFamilies.protocolFamilies }
}
