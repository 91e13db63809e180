import Foundation

/// How the store talks TLS to PostgreSQL, from the `--db` URL's `sslmode` and `sslrootcert` (the
/// names libpq uses):
/// - `disable` (the default): plain TCP — only on the same host or a private network;
/// - `require`: TLS, the server's certificate not checked (protects against listening, not against
///   an impostor);
/// - `verify-ca`: TLS with a certificate signed by `sslrootcert` (a PEM file of CA certificates);
/// - `verify-full`: as `verify-ca`, and the certificate names the host of the URL.
/// A server that does not offer TLS is refused in every mode but `disable`.
public enum PostgresTLS: Sendable, Hashable {
    case disable
    case require
    case verifyCA(rootCertificates: String)
    case verifyFull(rootCertificates: String)

    /// From the URL parameters; throws `CentralStoreError.invalidLocation` for an unknown mode, a
    /// verifying mode without `sslrootcert`, or `sslrootcert` with a mode that would not use it.
    static func parse(mode: String?, rootCertificates: String?) throws -> PostgresTLS {
        switch mode ?? "disable" {
        case "disable":
            guard rootCertificates == nil else { throw CentralStoreError.invalidLocation("sslrootcert needs sslmode=verify-ca or verify-full") }
            return .disable
        case "require":
            guard rootCertificates == nil else {
                throw CentralStoreError.invalidLocation("sslrootcert needs sslmode=verify-ca or verify-full (require checks no certificate)")
            }
            return .require
        case "verify-ca", "verify-full":
            guard let path = rootCertificates, !path.isEmpty else {
                throw CentralStoreError.invalidLocation("sslmode=\(mode!) needs sslrootcert=PATH (PEM CA certificates)")
            }
            return mode == "verify-ca" ? .verifyCA(rootCertificates: path) : .verifyFull(rootCertificates: path)
        case let other:
            throw CentralStoreError.invalidLocation("sslmode must be disable, require, verify-ca or verify-full, got \(other)")
        }
    }

    /// The URL parameters that spell it (empty for `disable`).
    var queryText: String {
        switch self {
        case .disable: return ""
        case .require: return "sslmode=require"
        case .verifyCA(let path): return "sslmode=verify-ca&sslrootcert=\(path)"
        case .verifyFull(let path): return "sslmode=verify-full&sslrootcert=\(path)"
        }
    }
}
