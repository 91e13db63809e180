import CheckpointConfig
import DeviceCatalog
import Thermometers

/// Reading an `ascii-line` model's `[protocol]` table (docs/thermometers.md).
extension ASCIILineCodec {
    /// The `[protocol]` keys of the family besides the polling keys.
    public static let parameterKeys: Set<String> = ["pattern", "command", "maxLineBytes"]

    /// The codec for catalog model `model`; a pattern that does not compile or has no capture group
    /// is an error on `pattern`.
    public init(model: CatalogModel) throws(ConfigError) {
        let p = model.protocolParameters
        let pattern = try p.requiredString("pattern")
        let command = try p.string("command")
        if let command, command.isEmpty { throw p.error("command", "must not be empty (leave it out for a streaming module)") }
        let maxLine = try p.int("maxLineBytes", default: 128, in: 8...4096)
        do {
            try self.init(pattern: pattern, command: command.map { Array($0.utf8) }, maxLineBytes: maxLine)
        } catch PatternError.noCaptureGroup {
            throw p.error("pattern", "needs a capture group around the value, e.g. ([-+]?[0-9.]+)")
        } catch {
            throw p.error("pattern", "not a valid regular expression: \(error)")
        }
    }
}
