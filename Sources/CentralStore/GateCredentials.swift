import Foundation

/// The outcome of checking a presented gate secret or admin token. Only `.accepted` lets a request
/// through; the server answers every other case with 401 (the cases exist for logs and metrics).
public enum CredentialCheck: String, Codable, Sendable, Hashable, CaseIterable {
    case accepted
    /// No such gate / token, or the gate has never been issued a secret.
    case unknown
    /// The gate or token was revoked.
    case revoked
    /// The gate exists but the presented secret is not its secret (or is not well-formed).
    case mismatch
}

/// A secret as issued: shown once, never stored (the store keeps only its SHA-256).
/// Secrets and admin tokens are 32 random bytes spelled as 64 lowercase hex characters.
public struct IssuedSecret: Sendable, Hashable {
    /// The gate id, or the admin token's label.
    public var subject: String
    /// 64 lowercase hex characters. Print it once; it cannot be recovered.
    public var secret: String

    public init(subject: String, secret: String) {
        self.subject = subject
        self.secret = secret
    }
}

/// A gate as the store knows it.
public struct GateInfo: Codable, Sendable, Hashable {
    public var id: String
    public var name: String?
    public var checkpoint: String
    /// True once a secret has been issued (and not revoked since).
    public var canIngest: Bool
    /// When its current secret was issued; nil if never.
    public var registeredAt: Date?
    /// When it was revoked; nil if not revoked (re-registering clears it).
    public var revokedAt: Date?

    public init(id: String, name: String?, checkpoint: String, canIngest: Bool, registeredAt: Date?, revokedAt: Date?) {
        self.id = id
        self.name = name
        self.checkpoint = checkpoint
        self.canIngest = canIngest
        self.registeredAt = registeredAt
        self.revokedAt = revokedAt
    }
}

/// An administrator token as the store knows it (never the token itself).
public struct AdminTokenInfo: Codable, Sendable, Hashable {
    public var label: String
    public var createdAt: Date
    public var revokedAt: Date?
    /// What the token may do (tokens made before roles existed are `districtAdmin`).
    public var role: Role
    /// The place it is bound to (see `Role.scopeLevel`).
    public var scope: PlaceScope?

    public init(label: String, createdAt: Date, revokedAt: Date?, role: Role = .districtAdmin, scope: PlaceScope? = nil) {
        self.label = label
        self.createdAt = createdAt
        self.revokedAt = revokedAt
        self.role = role
        self.scope = scope
    }
}
