import Foundation
import TestSupport

/// The repository's `Devices/` folder.
let shippedCatalogPath = BuildProducts.packageRoot.appendingPathComponent("Devices/thermometers").path
