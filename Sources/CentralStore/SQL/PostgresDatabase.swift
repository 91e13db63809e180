import Foundation
import Logging
import NIOSSL
import PostgresNIO

/// The PostgreSQL engine (postgres-nio `PostgresClient`, a connection pool). Every table lives in
/// the location's schema (`search_path` set at connection start-up). Durability is the server's
/// default: `fsync` and `synchronous_commit` on — read back and asserted at open.
final class PostgresDatabase: SQLDatabase {
    let engine = StorageEngine.postgres
    /// The protocol allows 65,535 bind parameters per statement.
    let maxBindings = 60_000
    /// Of the pool's `poolSize` connections, 4 stay for reads (staff pages, exports).
    var writeCapacity: Int { Self.poolSize - 4 }
    static let poolSize = 16
    private let client: PostgresClient
    private let runTask: Task<Void, Never>
    private let logger: Logger

    init(_ location: StoreLocation.PostgresLocation, logger: Logger) async throws {
        self.logger = logger
        if let schema = location.schema {
            // The schema must exist before connections start with it on their search_path.
            let bootstrap = Self.makeClient(location, schema: nil)
            let task = Task { await bootstrap.run() }
            do {
                try await Self.within(Self.openTimeout) {
                    _ = try await bootstrap.query(PostgresQuery(unsafeSQL: "CREATE SCHEMA IF NOT EXISTS \(schema)"), logger: logger)
                }
                task.cancel()
                await task.value
            } catch {
                task.cancel()
                await task.value
                throw CentralStoreError.engine("cannot create schema \(schema) at \(StoreLocation.postgres(location)): \(EngineError.describe(error))")
            }
        }
        let client = Self.makeClient(location, schema: location.schema)
        self.client = client
        self.runTask = Task { await client.run() }
        do {
            let settings: [String: String]
            do {
                settings = try await Self.within(Self.openTimeout) { try await self.durabilitySettings() }
            } catch {
                throw CentralStoreError.engine("cannot connect to \(StoreLocation.postgres(location)): \(EngineError.describe(error))")
            }
            guard settings["fsync"] == "on" else {
                throw CentralStoreError.durability("PostgreSQL fsync is \(settings["fsync"] ?? "?"), expected on")
            }
            guard let commit = settings["synchronous_commit"], commit != "off" else {
                throw CentralStoreError.durability("PostgreSQL synchronous_commit is off")
            }
        } catch {
            await close()
            throw error
        }
    }

    /// How long opening waits for the first connection (the pool itself retries for about a minute).
    static let openTimeout: Duration = .seconds(10)

    struct TimedOut: Error, CustomStringConvertible {
        let limit: Duration
        var description: String { "no answer within \(limit)" }
    }

    /// `operation`'s result, or `TimedOut` after `limit` (the operation is cancelled).
    static func within<T: Sendable>(_ limit: Duration, _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T.self) { group in
            group.addTask { try await operation() }
            group.addTask {
                try await Task.sleep(for: limit)
                throw TimedOut(limit: limit)
            }
            defer { group.cancelAll() }
            guard let first = try await group.next() else { throw TimedOut(limit: limit) }
            return first
        }
    }

    private static func makeClient(_ location: StoreLocation.PostgresLocation, schema: String?) -> PostgresClient {
        var config = PostgresClient.Configuration(host: location.host, port: location.port, username: location.user,
                                                  password: location.password, database: location.database,
                                                  tls: tlsSetting(location.tls))
        if let schema {
            config.options.additionalStartupParameters = [("search_path", schema)]
        }
        config.options.maximumConnections = poolSize
        return PostgresClient(configuration: config)
    }

    /// postgres-nio's TLS setting for a mode (TLS 1.2 or later; `require` never falls back to plain).
    static func tlsSetting(_ tls: PostgresTLS) -> PostgresClient.Configuration.TLS {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        switch tls {
        case .disable:
            return .disable
        case .require:
            configuration.certificateVerification = .none
        case .verifyCA(let path):
            configuration.certificateVerification = .noHostnameVerification
            configuration.trustRoots = .file(path)
        case .verifyFull(let path):
            configuration.certificateVerification = .fullVerification
            configuration.trustRoots = .file(path)
        }
        return .require(configuration)
    }

    func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) async throws -> T) async throws -> T {
        let client = self.client
        let logger = self.logger
        // Unstructured, so not cancelled with the caller: a transaction runs to COMMIT or ROLLBACK.
        return try await Task {
            try await client.withConnection { connection in
                let session = PostgresSession(connection: connection, logger: logger)
                try await session.execute("BEGIN")
                do {
                    let result = try await body(session)
                    try await session.execute("COMMIT")
                    return result
                } catch {
                    try? await session.execute("ROLLBACK")
                    throw error
                }
            }
        }.value
    }

    func reading<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) async throws -> T) async throws -> T {
        let logger = self.logger
        return try await client.withConnection { connection in
            try await body(PostgresSession(connection: connection, logger: logger))
        }
    }

    func durabilitySettings() async throws -> [String: String] {
        try await reading { session in
            let rows = try await session.query(
                "SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes', 'wal_sync_method')")
            var settings: [String: String] = [:]
            for row in rows { settings[try row.text(0)] = try row.text(1) }
            return settings
        }
    }

    func close() async {
        runTask.cancel()
        await runTask.value
    }
}

/// Statements on one leased PostgreSQL connection.
struct PostgresSession: SQLSession {
    let connection: PostgresConnection
    let logger: Logger

    func execute(_ sql: String, _ arguments: [SQLValue]) async throws {
        let rows = try await run(sql, arguments)
        for try await _ in rows {}
    }

    func query(_ sql: String, _ arguments: [SQLValue]) async throws -> [SQLRow] {
        var result: [SQLRow] = []
        for try await row in try await run(sql, arguments) {
            result.append(SQLRow(values: try row.map(Self.sqlValue)))
        }
        return result
    }

    private func run(_ sql: String, _ arguments: [SQLValue]) async throws -> PostgresRowSequence {
        var bindings = PostgresBindings(capacity: arguments.count)
        for argument in arguments {
            switch argument {
            case .null: bindings.appendNull()
            case .int(let v): bindings.append(v)
            case .double(let d): bindings.append(d)
            case .text(let s): bindings.append(s)
            case .bool(let b): bindings.append(b)
            case .uuid(let u): bindings.append(u)
            }
        }
        return try await connection.query(PostgresQuery(unsafeSQL: Self.numberPlaceholders(sql), binds: bindings), logger: logger)
    }

    /// `?` → `$1`, `$2`, … (the store's SQL has no `?` inside string literals). Byte by byte: `?`
    /// is ASCII, so it never occurs inside a multi-byte UTF-8 character (walking characters cost
    /// about 4 % of the store's CPU on requests of one record).
    static func numberPlaceholders(_ sql: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(sql.utf8.count + 64)
        var n = 0
        for byte in sql.utf8 {
            if byte == UInt8(ascii: "?") {
                n += 1
                out.append(UInt8(ascii: "$"))
                out.append(contentsOf: String(n).utf8)
            } else {
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func sqlValue(_ cell: PostgresCell) throws -> SQLValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8: return .int(try cell.decode(Int64.self))
        case .float4, .float8: return .double(try cell.decode(Double.self))
        case .bool: return .bool(try cell.decode(Bool.self))
        case .uuid: return .uuid(try cell.decode(UUID.self))
        default: return .text(try cell.decode(String.self))
        }
    }
}
