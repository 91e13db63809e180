/// A configuration (or catalog) error that names the file, the line and the key, e.g.
/// `/etc/checkpoint/checkpoint.toml:14: lane[1].relay: expected a table, found a string`.
public struct ConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Path of the file as given to the loader.
    public var file: String
    /// 1-based line of the key (or of the syntax error); nil if the key is absent from the file.
    public var line: Int?
    /// Dotted key path, array-of-table elements as `lane[0]`; empty for a whole-file error.
    public var key: String
    public var message: String

    public init(file: String, line: Int?, key: String, message: String) {
        self.file = file
        self.line = line
        self.key = key
        self.message = message
    }

    /// The file (or `profile vN`) and line a key comes from.
    public struct Origin: Sendable, Hashable {
        public var file: String
        public var line: Int?

        public init(file: String, line: Int?) {
            self.file = file
            self.line = line
        }
    }

    public var description: String {
        let place = line.map { "\(file):\($0)" } ?? file
        return key.isEmpty ? "\(place): \(message)" : "\(place): \(key): \(message)"
    }
}
