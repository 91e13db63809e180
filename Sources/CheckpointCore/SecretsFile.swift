import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A secret kept in its own file that only the service may read (mode 0600, owned by the service
/// user; docs/contracts.md §7) — the gate's secret for the central store, the district key: the
/// file's first line, surrounding whitespace removed. For the gate's secret that is either the
/// secret alone or the whole `<gate>:<secret>` line that `checkpoint-central gate register` prints
/// (the client adds `<gate>:` itself).
public enum SecretsFile {
    public struct Problem: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// Reads the secret. Refuses a file that group or others may read or write (mode & 0o077),
    /// an empty one, one that is not a regular file, and a `<gate>:<secret>` line for another gate.
    /// With `gate`, a leading `<gate>:` is removed.
    public static func read(_ path: String, gate: String? = nil) throws -> String {
        var st = stat()
        guard stat(path, &st) == 0 else {
            throw Problem(description: "secrets file \(path): \(String(cString: strerror(errno)))")
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw Problem(description: "secrets file \(path) is not a regular file") }
        let mode = st.st_mode & 0o777
        guard mode & 0o077 == 0 else {
            throw Problem(description: "secrets file \(path) has mode \(String(mode, radix: 8)); it must be readable by the service only (chmod 600)")
        }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw Problem(description: "secrets file \(path) cannot be read as UTF-8 text")
        }
        let secret = text.split(whereSeparator: \.isNewline).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        guard !secret.isEmpty else { throw Problem(description: "secrets file \(path) is empty") }
        guard let gate, let colon = secret.lastIndex(of: ":") else { return secret }
        let named = secret[..<colon]
        guard named == gate else {
            throw Problem(description: "secrets file \(path) holds the credential of gate \"\(named)\", not \"\(gate)\"")
        }
        let bare = String(secret[secret.index(after: colon)...])
        guard !bare.isEmpty else { throw Problem(description: "secrets file \(path) has no secret after \"\(gate):\"") }
        return bare
    }
}
