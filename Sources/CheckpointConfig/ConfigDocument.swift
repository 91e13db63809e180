import Foundation
import TOMLKit

/// One parsed TOML file (the gate's configuration, a catalog entry, …) with a key → line index,
/// so that every error — syntax or semantic — names file, line and key.
public final class ConfigDocument: @unchecked Sendable {
    /// The path as given (used in errors).
    public let file: String
    public let text: String
    let index: KeyLineIndex
    let table: TOMLTable

    /// Parses `text`; `file` is only used to name errors.
    public init(text: String, file: String) throws(ConfigError) {
        self.file = file
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
    public func line(of path: String) -> Int? { index.line(of: path) }

    /// An error about `path` in this document.
    public func error(at path: String, _ message: String) -> ConfigError {
        ConfigError(file: file, line: line(of: path), key: path, message: message)
    }
}
