import CheckpointConfig
import DeviceCatalog
import Thermometers

/// Reading a `modbus-rtu` model's `[protocol]` table (docs/thermometers.md).
extension ModbusRTUCodec {
    /// The `[protocol]` keys of the family besides the polling keys.
    public static let parameterKeys: Set<String> = ["slave", "function", "register", "signed"]

    /// The codec for catalog model `model`: `slave` 1…247, `function` 3 or 4, `register` 0…65535.
    public init(model: CatalogModel) throws(ConfigError) {
        let p = model.protocolParameters
        let slave = try p.requiredInt("slave", in: 1...247)
        let function = try p.requiredInt("function")
        guard function == 3 || function == 4 else {
            throw p.error("function", "\(function) is not 3 (read holding registers) or 4 (read input registers)")
        }
        let register = try p.requiredInt("register", in: 0...0xFFFF)
        self.init(slave: UInt8(slave), function: UInt8(function), register: UInt16(register),
                  signed: try p.bool("signed", default: true))
    }
}
