import DeviceCatalog

/// How `checkpoint-sim` makes a simulated device for a catalog model of one protocol family.
/// Thermometer families are in `ThermometerSimulators.all`, scanner families in
/// `ScannerSimulators.all`; `SimulatorRegistry` joins them.
public struct SimulatorFamily: Sendable {
    /// The catalog family name, e.g. `modbus-rtu`.
    public let family: String
    public let role: DeviceRole
    /// Option keys `make` understands (besides `name`), for `--device MODEL:key=value,…`.
    public let optionKeys: Set<String>
    /// Builds the behaviour for `model` with `options` (validated against `optionKeys`).
    public let make: @Sendable (CatalogModel, [String: String]) throws(SimulatorCommandError) -> any DeviceBehavior

    public init(family: String, role: DeviceRole, optionKeys: Set<String>,
                make: @escaping @Sendable (CatalogModel, [String: String]) throws(SimulatorCommandError) -> any DeviceBehavior) {
        self.family = family
        self.role = role
        self.optionKeys = optionKeys
        self.make = make
    }
}

/// Every family `checkpoint-sim` can simulate.
public enum SimulatorRegistry {
    public static var all: [SimulatorFamily] { ThermometerSimulators.all + ScannerSimulators.all + IDReaderSimulators.all }

    /// The simulator for `model`'s family, or an error naming the known ones.
    public static func family(for model: CatalogModel) throws(SimulatorCommandError) -> SimulatorFamily {
        guard let f = all.first(where: { $0.family == model.family }) else {
            throw SimulatorCommandError("no simulator for family \"\(model.family)\" (model \(model.model)); simulated families: \(all.map(\.family).joined(separator: ", "))")
        }
        return f
    }

    /// A behaviour for `model` with `options` (unknown option keys are errors).
    public static func makeBehavior(for model: CatalogModel, options: [String: String]) throws(SimulatorCommandError) -> any DeviceBehavior {
        let family = try family(for: model)
        for key in options.keys where !family.optionKeys.contains(key) {
            throw SimulatorCommandError("unknown option \"\(key)\" for \(model.model) (known: \(family.optionKeys.sorted().joined(separator: ", ")))")
        }
        return try family.make(model, options)
    }
}
