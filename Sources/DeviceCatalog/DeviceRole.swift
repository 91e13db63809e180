/// What a catalog model is for.
public enum DeviceRole: String, Sendable, Hashable, Codable, CaseIterable {
    case thermometer
    case scanner
}
