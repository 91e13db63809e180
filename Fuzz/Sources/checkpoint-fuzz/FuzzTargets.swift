import DeviceFamilies
import IDCards
import Scanners
import Thermometers

/// Every fuzz target, by name. Thermometer, scanner and ID reader targets come from the catalog:
/// one per model, so a new catalog file is fuzzed without code.
enum FuzzTargets {
    static let all: [FuzzTarget] = {
        var targets: [FuzzTarget] = []
        for family in ThermometerFamilies.all {
            targets += FuzzCatalog.models(family: family.name).map(ThermometerSessionTarget.target(model:))
        }
        for family in [ScannerFamilies.serial, ScannerFamilies.keyboardWedge, ScannerFamilies.hidPOS] {
            targets += FuzzCatalog.models(family: family).map(ScanDecoderTarget.target(model:))
        }
        targets += ScannerCommandSet.allCases.map(ScannerReplyTarget.target)
        targets += FuzzCatalog.models(family: IDReaderFamily.name).map(IDReaderSessionTarget.target(model:))
        targets += [IDCardTextTarget.target, GateConfigurationTarget.target, CatalogModelTarget.target,
                    ControlMessageTarget.target, CentralRequestTarget.target]
        return targets
    }()

    static func named(_ name: String) -> FuzzTarget? { all.first { $0.name == name } }
}
