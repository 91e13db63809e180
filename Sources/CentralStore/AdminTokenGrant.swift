import Foundation

/// What a presented administrator token is: the check's outcome and, when `.accepted`, the token's
/// label, role and scope.
public struct AdminTokenGrant: Sendable, Hashable {
    public var check: CredentialCheck
    public var label: String?
    public var role: Role
    public var scope: PlaceScope?

    public init(check: CredentialCheck, label: String? = nil, role: Role = .districtAdmin, scope: PlaceScope? = nil) {
        self.check = check
        self.label = label
        self.role = role
        self.scope = scope
    }
}
