import CheckpointConfig

/// A protocol family as the catalog sees it: implemented in code (Thermometers, Scanners), named
/// by catalog files (`family = "modbus-rtu"`), and the only judge of its own `[protocol]` keys.
///
/// The catalog loader calls `validate` for every model naming this family; it throws a
/// `ConfigError` (from the model's `protocolParameters` or `document`, so it names file, line and key)
/// for a missing, mistyped, out-of-range or unknown key.
public struct ProtocolFamily: Sendable {
    /// The name catalog files use, e.g. `lu90614`, `modbus-rtu`.
    public var name: String
    public var role: DeviceRole
    /// The transports this family can run over.
    public var transports: Set<TransportSpec.Kind>
    public var validate: @Sendable (CatalogModel) throws(ConfigError) -> Void

    public init(name: String, role: DeviceRole, transports: Set<TransportSpec.Kind>,
                validate: @escaping @Sendable (CatalogModel) throws(ConfigError) -> Void) {
        self.name = name
        self.role = role
        self.transports = transports
        self.validate = validate
    }
}

