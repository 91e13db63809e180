import CheckpointConfig
import DeviceCatalog
import Thermometers

/// The thermometer protocol families implemented in code, by the name catalog files use.
public enum ThermometerFamilies {
    /// A family: its catalog name, the keys its `[protocol]` table may hold (besides the polling
    /// keys) and how to build its codec from a model.
    public struct Family: Sendable {
        public let name: String
        public let parameterKeys: Set<String>
        public let makeCodec: @Sendable (CatalogModel) throws(ConfigError) -> any ThermometerCodec

        /// The family as the catalog loader sees it: validation = building a codec, parsing the
        /// polling keys and rejecting any other key.
        public var protocolFamily: ProtocolFamily {
            let keys = parameterKeys.union(PollingParameters.keys)
            let make = makeCodec
            return ProtocolFamily(name: name, role: .thermometer, transports: [.serial]) { model throws(ConfigError) in
                _ = try make(model)
                _ = try PollingParameters.parse(model.protocolParameters)
                try model.protocolParameters.rejectUnknownKeys(keys)
            }
        }
    }

    public static let all: [Family] = [
        Family(name: "lu90614", parameterKeys: LU90614Codec.parameterKeys) { m throws(ConfigError) in try LU90614Codec(model: m) },
        Family(name: "gy-mcu90614", parameterKeys: GYMCU90614Codec.parameterKeys) { m throws(ConfigError) in try GYMCU90614Codec(model: m) },
        Family(name: "gd60914", parameterKeys: GD60914Codec.parameterKeys) { m throws(ConfigError) in try GD60914Codec(model: m) },
        Family(name: "modbus-rtu", parameterKeys: ModbusRTUCodec.parameterKeys) { m throws(ConfigError) in try ModbusRTUCodec(model: m) },
        Family(name: "ascii-line", parameterKeys: ASCIILineCodec.parameterKeys) { m throws(ConfigError) in try ASCIILineCodec(model: m) },
    ]

    /// The families for `Catalog.load(directory:families:)`.
    public static var protocolFamilies: [ProtocolFamily] { all.map(\.protocolFamily) }

    /// A fresh codec for `model` (validating its `[protocol]` table).
    public static func codec(for model: CatalogModel) throws(ConfigError) -> any ThermometerCodec {
        guard let family = all.first(where: { $0.name == model.family }) else {
            throw model.document.error(at: "family", "\"\(model.family)\" is not a thermometer family (known: \(all.map(\.name).joined(separator: ", ")))")
        }
        try family.protocolFamily.validate(model)
        return try family.makeCodec(model)
    }
}
