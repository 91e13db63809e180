/// What a catalog model is for.
public enum DeviceRole: String, Sendable, Hashable, Codable, CaseIterable {
    case thermometer
    case scanner
    /// A resident ID card reader (SAM interface).
    case idReader
}
