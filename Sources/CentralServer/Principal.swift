import CentralStore
import Foundation

/// Who is calling a reading or administration route: a signed-in person (session cookie) or an
/// administrator token. Every route asks it for a permission and, where a place is involved,
/// whether the place lies under its scope.
public struct Principal: Sendable, Hashable {
    /// What the audit log records: the username, or `token:<label>` (`token:configured` for a token
    /// configured at startup).
    public var actor: String
    public var displayName: String
    public var role: Role
    /// nil = the whole district.
    public var scope: PlaceScope?
    /// The session's CSRF token (nil for bearer tokens, which browsers never send by themselves).
    public var csrfToken: String?

    public init(actor: String, displayName: String, role: Role, scope: PlaceScope?, csrfToken: String? = nil) {
        self.actor = actor
        self.displayName = displayName
        self.role = role
        self.scope = scope
        self.csrfToken = csrfToken
    }

    public func has(_ permission: Permission) -> Bool { AccessPolicy.permissions(of: role).contains(permission) }

    /// 403 unless the role has `permission`.
    public func require(_ permission: Permission) throws {
        guard has(permission) else {
            throw APIError.forbidden("role \(role.rawValue) may not do this (\(permission.rawValue))", code: "notPermitted")
        }
    }

    /// 403 unless `place` lies under this principal's scope (an unknown place is 404 for the whole
    /// district, 403 for a scoped principal: no oracle of other places).
    public func requirePlace(_ place: PlaceScope, in tree: PlaceTree) throws {
        guard tree.exists(place) else {
            if scope == nil { throw APIError.notFound("no \(place.level.rawValue) \(place.id)") }
            throw outOfScope(place)
        }
        guard tree.contains(scope, place) else { throw outOfScope(place) }
    }

    /// The scope a query without an explicit place is limited to: the principal's own.
    public func effectiveScope(_ requested: PlaceScope?, in tree: PlaceTree) throws -> PlaceScope? {
        guard let requested else { return scope }
        try requirePlace(requested, in: tree)
        return requested
    }

    func outOfScope(_ place: PlaceScope) -> APIError {
        APIError.forbidden("\(place.level.rawValue) \(place.id) is outside your places", code: "outOfScope")
    }
}
