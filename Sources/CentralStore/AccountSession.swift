import Foundation

/// A signed-in browser session: the account it belongs to and the token forms must echo (CSRF).
/// The store keeps only the SHA-256 of the session cookie's value.
public struct AccountSession: Sendable, Hashable {
    public var account: Account
    /// 64 hex characters; every state-changing form or `fetch` of this session presents it.
    public var csrfToken: String
    public var expiresAt: Date

    public init(account: Account, csrfToken: String, expiresAt: Date) {
        self.account = account
        self.csrfToken = csrfToken
        self.expiresAt = expiresAt
    }
}
