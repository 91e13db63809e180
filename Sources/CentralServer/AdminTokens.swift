import Foundation

/// The administrator tokens the server accepts, held only as SHA-256 digests.
///
/// Sources, in the order `checkpoint-central serve` consults them: `--admin-token-file PATH`,
/// then the environment variable `CHECKPOINT_CENTRAL_ADMIN_TOKEN_FILE` (a path), then
/// `CHECKPOINT_CENTRAL_ADMIN_TOKEN` (the token itself, for containers; never put it in argv).
/// A token file holds one entry per line: `sha256:<64 hex>` (what `admin-token create` writes)
/// or a plain token; blank lines and `#` comments are ignored. Several lines = several valid
/// tokens (rotation).
public struct AdminTokens: Sendable {
    public struct FileError: Error, CustomStringConvertible {
        public let description: String
    }

    let digests: [String]

    public init(digests: [String]) { self.digests = digests }

    /// No token configured: every admin request gets 401 (the gate routes still work).
    public static let none = AdminTokens(digests: [])

    public var isEmpty: Bool { digests.isEmpty }
    public var count: Int { digests.count }

    public static func plain(_ tokens: [String]) -> AdminTokens {
        AdminTokens(digests: tokens.map(SecretToken.digestHex))
    }

    /// Parses a token file's text; `source` names it in errors ("path:line").
    public static func parse(_ text: String, source: String) throws -> AdminTokens {
        var digests: [String] = []
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("sha256:") {
                let hex = line.dropFirst("sha256:".count).lowercased()
                guard hex.count == 64, hex.allSatisfy(\.isHexDigit) else {
                    throw FileError(description: "\(source):\(index + 1): `sha256:` must be followed by 64 hex digits")
                }
                digests.append(String(hex))
            } else {
                guard line.count >= 16 else {
                    throw FileError(description: "\(source):\(index + 1): token shorter than 16 characters")
                }
                digests.append(SecretToken.digestHex(line))
            }
        }
        return AdminTokens(digests: digests)
    }

    public static func load(path: String) throws -> AdminTokens {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw FileError(description: "\(path): cannot read admin token file: \(error.localizedDescription)")
        }
        return try parse(text, source: path)
    }

    /// The one line `admin-token create` appends to a token file for `token`.
    public static func fileLine(for token: String) -> String { "sha256:" + SecretToken.digestHex(token) }

    public func accepts(_ token: String) -> Bool {
        let digest = SecretToken.digestHex(token)
        var found = false
        for candidate in digests where SecretToken.constantTimeEquals(candidate, digest) { found = true }
        return found
    }
}
