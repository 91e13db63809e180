import Foundation

/// Where the central store lives, parsed from `--db`:
/// - `sqlite:PATH` (one site; the file is created if missing; `sqlite::memory:` is refused: the
///   store must be durable);
/// - `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?schema=NAME&sslmode=MODE&sslrootcert=PATH]`
///   (`postgresql://` too; port 5432 by default; `schema` puts every table in that schema, created if
///   missing, default `public`; `sslmode` and `sslrootcert` as `PostgresTLS` says).
public enum StoreLocation: Sendable, Hashable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(PostgresLocation)

    public struct PostgresLocation: Sendable, Hashable {
        public var host: String
        public var port: Int
        public var user: String
        public var password: String?
        public var database: String
        public var schema: String?
        public var tls: PostgresTLS

        public init(host: String, port: Int = 5432, user: String, password: String? = nil, database: String, schema: String? = nil,
                    tls: PostgresTLS = .disable) {
            self.tls = tls
            self.host = host
            self.port = port
            self.user = user
            self.password = password
            self.database = database
            self.schema = schema
        }
    }

    /// Parses a `--db` string; throws `CentralStoreError.invalidLocation` saying what is wrong.
    public init(parsing text: String) throws {
        if text.hasPrefix("sqlite:") {
            let path = String(text.dropFirst("sqlite:".count))
            guard !path.isEmpty, path != ":memory:" else {
                throw CentralStoreError.invalidLocation("sqlite: needs a file path (e.g. sqlite:/var/lib/checkpoint/central.sqlite)")
            }
            self = .sqlite(path: path)
            return
        }
        guard text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") else {
            throw CentralStoreError.invalidLocation("expected sqlite:PATH or postgres://USER@HOST:PORT/DATABASE, got \(text)")
        }
        guard let url = URLComponents(string: text), let host = url.host, !host.isEmpty else {
            throw CentralStoreError.invalidLocation("not a postgres URL: \(text)")
        }
        guard let user = url.user, !user.isEmpty else {
            throw CentralStoreError.invalidLocation("postgres URL needs a user (postgres://USER@HOST/DATABASE)")
        }
        let database = String(url.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else {
            throw CentralStoreError.invalidLocation("postgres URL needs one database name as its path")
        }
        var schema: String?
        var sslMode: String?, sslRootCert: String?
        for item in url.queryItems ?? [] {
            switch item.name {
            case "schema":
                guard let value = item.value, Self.isPlainSQLName(value) else {
                    throw CentralStoreError.invalidLocation("schema must be 1…63 of a–z 0–9 _ starting with a letter")
                }
                schema = value
            case "sslmode":
                sslMode = item.value ?? ""
            case "sslrootcert":
                sslRootCert = item.value ?? ""
            default:
                throw CentralStoreError.invalidLocation("unknown postgres URL parameter \(item.name)")
            }
        }
        self = .postgres(PostgresLocation(host: host, port: url.port ?? 5432, user: user, password: url.password,
                                          database: database, schema: schema,
                                          tls: try PostgresTLS.parse(mode: sslMode, rootCertificates: sslRootCert)))
    }

    /// The location without its password, for logs.
    public var description: String {
        switch self {
        case .sqlite(let path): return "sqlite:\(path)"
        case .postgres(let p):
            let query = [p.schema.map { "schema=\($0)" }, p.tls == .disable ? nil : p.tls.queryText].compactMap { $0 }
            return "postgres://\(p.user)@\(p.host):\(p.port)/\(p.database)" + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
        }
    }

    /// True for a lowercase SQL identifier safe to splice into DDL: `[a-z][a-z0-9_]{0,62}`.
    static func isPlainSQLName(_ s: String) -> Bool {
        let bytes = Array(s.utf8)
        guard let first = bytes.first, (1...63).contains(bytes.count), first >= 0x61, first <= 0x7A else { return false }
        return bytes.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F }
    }
}
