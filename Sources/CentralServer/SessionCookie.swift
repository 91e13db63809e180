import Crypto
import Foundation
import Hummingbird

/// The browser session cookie `cp_session`: 32 random bytes (64 hex), `HttpOnly`, `SameSite=Strict`,
/// `Path=/`, `Secure` when the server speaks TLS. The store keeps only its SHA-256.
public enum SessionCookie {
    public static let name = "cp_session"
    /// The sign-in form's double-submit token (against login CSRF), valid for `/signin` only.
    public static let signInName = "cp_signin"
    /// A session lasts this long from sign-in (one working shift and a half).
    public static let lifetime: TimeInterval = 12 * 3600

    public static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max, using: &generator)) }.joined()
    }

    public static func digest(_ token: String) -> String { SecretToken.digestHex(token) }

    /// The cookie's value in `request`, if any.
    public static func value(in request: Request) -> String? {
        guard let value = request.cookies[name]?.value, value.count == 64, value.allSatisfy(\.isHexDigit) else { return nil }
        return value
    }

    public static func setCookie(_ token: String, secure: Bool) -> String {
        "\(name)=\(token); Path=/; Max-Age=\(Int(lifetime)); HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "")
    }

    public static func clearCookie(secure: Bool) -> String {
        "\(name)=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "")
    }
}
