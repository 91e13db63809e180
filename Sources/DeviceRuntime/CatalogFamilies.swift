import DeviceCatalog
import Scanners
import Thermometers

/// Every protocol family implemented in code, thermometers and scanners: what the daemon, the CLI
/// and the simulator validate `Devices/` against. A new family joins here, once.
public enum CatalogFamilies {
    public static var all: [ProtocolFamily] { ThermometerFamilies.protocolFamilies + ScannerFamilies.all }
}
