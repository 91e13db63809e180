import CheckpointConfig
import CheckpointCore

/// One device model: one file of the `Devices/` catalog (format in docs/catalog.md).
public struct CatalogModel: Sendable {
    /// Unique id; equals the file name without `.toml`.
    public var model: String
    /// Human-readable name.
    public var name: String
    public var role: DeviceRole
    /// The protocol family implemented in code, e.g. `lu90614`.
    public var family: String
    /// How discovery recognises it; empty when only explicit configuration uses it.
    public var match: DeviceMatchRule
    public var transport: TransportSpec
    /// The `[protocol]` table (empty if the file has none): the family validates and reads it.
    public var protocolParameters: ConfigTable
    /// Scaling, kind and range; present for every thermometer, nil for other roles.
    public var temperature: TemperatureScaling?
    /// The parsed file, for errors that name file, line and key.
    public var document: ConfigDocument

    /// The path of the catalog file.
    public var file: String { document.file }

    static let topLevelKeys: Set<String> = ["model", "name", "role", "family", "match", "transport", "protocol", "temperature"]

    /// Parses and validates one catalog file's document. `expectedID` is the file name without
    /// `.toml` (nil to skip that check, e.g. for a document built in memory).
    public init(document: ConfigDocument, expectedID: String?) throws(ConfigError) {
        let root = document.root
        try root.rejectUnknownKeys(Self.topLevelKeys)
        self.document = document
        model = try root.requiredString("model")
        guard FieldLimits.isValidIdentifier(model) else {
            throw root.error("model", "\"\(model)\" must be 1…64 of A–Z a–z 0–9 . _ -")
        }
        if let expectedID, expectedID != model {
            throw root.error("model", "\"\(model)\" must equal the file name without .toml (\"\(expectedID)\")")
        }
        name = try root.requiredString("name")
        guard let role = try root.enumeration("role", DeviceRole.self) else { throw root.error("role", "required key is missing") }
        self.role = role
        family = try root.requiredString("family")
        guard !family.isEmpty else { throw root.error("family", "must not be empty") }
        match = try root.table("match").map { t throws(ConfigError) in try DeviceMatchRule.parse(t) } ?? DeviceMatchRule()
        guard let transportTable = try root.table("transport") else { throw root.error("transport", "required table [transport] is missing") }
        transport = try TransportSpec.parse(transportTable)
        protocolParameters = try root.tableOrEmpty("protocol")
        switch role {
        case .thermometer:
            guard let t = try root.table("temperature") else { throw root.error("temperature", "a thermometer needs a [temperature] table") }
            temperature = try TemperatureScaling.parse(t)
        case .scanner, .idReader:
            if root.contains("temperature") { throw root.error("temperature", "only thermometers have a [temperature] table") }
            temperature = nil
        }
    }

    /// An error about `key` of this model's `[protocol]` table.
    public func protocolError(_ key: String, _ message: String) -> ConfigError {
        protocolParameters.error(key, message)
    }
}
