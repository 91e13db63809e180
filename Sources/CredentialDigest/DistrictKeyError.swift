/// A district key that cannot be used (too short, unreadable).
public struct DistrictKeyError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(description: String) { self.description = description }
}
