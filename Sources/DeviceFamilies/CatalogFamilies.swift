import DeviceCatalog
import IDCards
import Scanners
import Thermometers

/// Every protocol family implemented in code, thermometers, scanners and ID readers: what the daemon, the CLI
/// and the simulator validate `Devices/` against. A new family joins here, once.
public enum CatalogFamilies {
    public static var all: [ProtocolFamily] { ThermometerFamilies.protocolFamilies + ScannerFamilies.all + [IDReaderFamily.protocolFamily] }
}
