/// A visitor's registration (外来人员登记): the card fields the paper register kept. It exists in
/// an entry only when the policy referred a visitor for registration at a lane configured for it;
/// it travels to the central store only (over TLS) and is never logged.
public struct Registration: Codable, Sendable, Hashable, CustomStringConvertible {
    public var name: String
    /// The full 18-character citizen number.
    public var citizenNumber: String
    public var address: String
    /// Whom the visitor visits, when the person on duty adds it.
    public var host: String?

    public init(name: String, citizenNumber: String, address: String, host: String? = nil) {
        self.name = name
        self.citizenNumber = citizenNumber
        self.address = address
        self.host = host
    }

    /// Names no field.
    public var description: String { "registration (redacted)" }
}
