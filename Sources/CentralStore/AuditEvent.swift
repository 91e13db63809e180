import Foundation

/// One line of the audit log: who did what to what, when. Appended by the server (and the
/// administration commands) after the action happened; never changed; readable by auditors.
public struct AuditEvent: Codable, Sendable, Hashable {
    /// Strictly increasing; 0 for an event not yet appended.
    public var id: Int64
    /// Server time of the action.
    public var at: Date
    /// The account's username, `token:<label>` for an admin token, `cli` for a command run on the server.
    public var actor: String
    public var action: AuditAction
    /// What it was done to (a gate, an account, a place, a credential digest…); at most 300 bytes.
    public var target: String
    /// Free text for people (counts, filters); at most 2000 bytes.
    public var detail: String

    public init(id: Int64 = 0, at: Date, actor: String, action: AuditAction, target: String, detail: String = "") {
        self.id = id
        self.at = at
        self.actor = actor
        self.action = action
        self.target = target
        self.detail = detail
    }
}
