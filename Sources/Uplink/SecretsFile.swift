import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The gate's secret for the central store, kept in its own file that only the service may read
/// (docs/contracts.md §7): the file's first line, surrounding whitespace removed.
public enum SecretsFile {
    public struct Problem: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// Reads the secret. Refuses a file that group or others may read or write (mode & 0o077),
    /// an empty one, and one that is not a regular file.
    public static func read(_ path: String) throws -> String {
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
        return secret
    }
}
