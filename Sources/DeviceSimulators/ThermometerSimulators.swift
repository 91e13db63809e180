import CheckpointConfig
import DeviceCatalog
import DeviceFamilies
import Thermometers

/// Simulators for the thermometer families. Options: `celsius=<°C>` (initial temperature) for all;
/// `format=<text with {value}>` and `period=<ms>` for `ascii-line`.
public enum ThermometerSimulators {
    public static let all: [SimulatorFamily] = [
        SimulatorFamily(family: "lu90614", role: .thermometer, optionKeys: ["celsius"]) { model, options throws(SimulatorCommandError) in
            let codec: LU90614Codec = try codec(model) { m throws(ConfigError) in try LU90614Codec(model: m) }
            var sim = LU90614Simulator(temperature: try temperature(model, options))
            _ = sim.received(codec.setupCommand)
            return sim
        },
        SimulatorFamily(family: "gy-mcu90614", role: .thermometer, optionKeys: ["celsius"]) { model, options throws(SimulatorCommandError) in
            let codec: GYMCU90614Codec = try codec(model) { m throws(ConfigError) in try GYMCU90614Codec(model: m) }
            return GYMCU90614Simulator(temperature: try temperature(model, options), value: codec.value)
        },
        SimulatorFamily(family: "gd60914", role: .thermometer, optionKeys: ["celsius"]) { model, options throws(SimulatorCommandError) in
            GD60914Simulator(temperature: try temperature(model, options))
        },
        SimulatorFamily(family: "modbus-rtu", role: .thermometer, optionKeys: ["celsius"]) { model, options throws(SimulatorCommandError) in
            let codec: ModbusRTUCodec = try codec(model) { m throws(ConfigError) in try ModbusRTUCodec(model: m) }
            return ModbusSlaveSimulator(temperature: try temperature(model, options), slave: codec.slave,
                                        function: codec.function, register: codec.register)
        },
        SimulatorFamily(family: "ascii-line", role: .thermometer, optionKeys: ["celsius", "format", "period"]) { model, options throws(SimulatorCommandError) in
            let codec: ASCIILineCodec = try codec(model) { m throws(ConfigError) in try ASCIILineCodec(model: m) }
            let period: Int
            if let text = options["period"] {
                guard let p = Int(text), (10...3_600_000).contains(p) else { throw SimulatorCommandError("period must be 10…3600000 ms") }
                period = p
            } else {
                period = (try? PollingParameters.parse(model.protocolParameters).pollMs) ?? 1000
            }
            let format = options["format"] ?? "BODY {value} C"
            guard format.contains("{value}") else { throw SimulatorCommandError("format must contain {value}") }
            return ASCIILineSimulator(temperature: try temperature(model, options), format: format, command: codec.pollCommand, periodMs: period)
        },
    ]

    private static func codec<C>(_ model: CatalogModel, _ make: (CatalogModel) throws(ConfigError) -> C) throws(SimulatorCommandError) -> C {
        do { return try make(model) } catch { throw SimulatorCommandError("\(error)") }
    }

    private static func temperature(_ model: CatalogModel, _ options: [String: String]) throws(SimulatorCommandError) -> SimulatedTemperature {
        guard let scaling = model.temperature else { throw SimulatorCommandError("\(model.model) is not a thermometer") }
        var celsius: Double?
        if let text = options["celsius"] {
            guard let c = Double(text), c.isFinite else { throw SimulatorCommandError("celsius=\(text) is not a number") }
            celsius = c
        }
        return SimulatedTemperature(celsius: celsius, scaling: scaling)
    }
}
