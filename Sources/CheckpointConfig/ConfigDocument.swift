import Foundation
import TOMLKit

/// One parsed TOML file (the gate's configuration, a catalog entry, …) with a key → line index,
/// so that every error — syntax or semantic — names file, line and key.
// @unchecked: the TOMLKit table it holds is never mutated after parsing.
public final class ConfigDocument: @unchecked Sendable {
    /// The path as given (used in errors).
    public let file: String
    public let text: String
    let index: KeyLineIndex
    let table: TOMLTable
    /// Where a key really comes from, for a document made by `ProfileOverlay` (nil: this file).
    let origin: (@Sendable (String) -> ConfigError.Origin)?

    /// Parses `text`; `file` is only used to name errors.
    public convenience init(text: String, file: String) throws(ConfigError) {
        try self.init(text: text, file: file, origin: nil)
    }

    init(text: String, file: String, origin: (@Sendable (String) -> ConfigError.Origin)?) throws(ConfigError) {
        self.file = file
        self.origin = origin
        self.text = text
        if let line = TOMLHeaderCheck.firstUnsafeHeaderLine(in: text) {
            throw ConfigError(file: file, line: line, key: "", message: "TOML syntax: a table header must start with a key, e.g. [policy]")
        }
        do {
            self.table = try TOMLTable(string: text)
        } catch let e as TOMLParseError {
            throw ConfigError(file: file, line: e.source.begin.line, key: "", message: "TOML syntax: \(e.description)")
        } catch {
            throw ConfigError(file: file, line: nil, key: "", message: "TOML syntax: \(error)")
        }
        self.index = KeyLineIndex(text: text)
    }

    /// Reads and parses the file at `path`.
    public convenience init(contentsOf path: String) throws(ConfigError) {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ConfigError(file: path, line: nil, key: "", message: "cannot read: \((error as NSError).localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(file: path, line: nil, key: "", message: "not valid UTF-8")
        }
        try self.init(text: text, file: path)
    }

    /// The top-level table.
    public var root: ConfigTable { ConfigTable(document: self, table: table, path: "") }

    /// The 1-based line of a key path such as `lane[0].relay.offset` (or of its nearest ancestor).
    public func line(of path: String) -> Int? { origin.map { $0(path).line } ?? index.line(of: path) }

    /// An error about `path` in this document (in a profile overlay: in the file or the profile
    /// that the key comes from).
    public func error(at path: String, _ message: String) -> ConfigError {
        let where_ = origin?(path) ?? ConfigError.Origin(file: file, line: index.line(of: path))
        return ConfigError(file: where_.file, line: where_.line, key: path, message: message)
    }
}
