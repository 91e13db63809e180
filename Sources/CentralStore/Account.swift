import Foundation

/// A person who signs in to the central store's page (or whose role an admin token carries).
/// `username` is an identifier (`FieldLimits.isValidIdentifier`); `scope` is required exactly when
/// `role.scopeLevel` is not nil, at that level, and names an existing place.
public struct Account: Codable, Sendable, Hashable {
    public var username: String
    /// Shown on the page; 1…200 UTF-8 bytes.
    public var displayName: String
    public var role: Role
    public var scope: PlaceScope?
    public var createdAt: Date
    /// Set when the account was disabled: it can no longer sign in and its sessions end.
    public var disabledAt: Date?

    public init(username: String, displayName: String, role: Role, scope: PlaceScope?, createdAt: Date, disabledAt: Date? = nil) {
        self.username = username
        self.displayName = displayName
        self.role = role
        self.scope = scope
        self.createdAt = createdAt
        self.disabledAt = disabledAt
    }
}
