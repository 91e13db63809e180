import ArgumentParser
import DeviceCatalog
import DeviceFamilies
import DeviceSimulators
import Foundation
import DeviceRuntime
import Thermometers

/// `checkpoint-sim models`: the catalog models that can be simulated.
struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "models", abstract: "List the catalog models that can be simulated.")

    @Option(name: .long, help: "The device catalog directory (default: /usr/share/checkpoint/Devices, then ./Devices).")
    var catalog: String?

    func run() throws {
        let dir = catalog ?? Catalog.defaultDirectories.first { FileManager.default.fileExists(atPath: $0) } ?? Catalog.defaultDirectories[0]
        let catalog = Catalog.load(directory: dir, families: CatalogFamilies.all)
        for error in catalog.errors { warn("catalog: \(error)") }
        let families = Set(SimulatorRegistry.all.map(\.family))
        for model in catalog.models where families.contains(model.family) {
            print("\(model.model)\t\(model.role.rawValue)\t\(model.family)\t\(model.name)")
        }
    }
}
