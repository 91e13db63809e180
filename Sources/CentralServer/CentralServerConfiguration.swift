import Foundation

/// How to run the central store's HTTP server.
public struct CentralServerConfiguration: Sendable {
    /// Address to bind; `127.0.0.1` by default (put a TLS-terminating proxy in front, or use TLS).
    public var host: String
    /// TCP port; 0 = any free port (reported through `onListening`).
    public var port: Int
    /// Tokens accepted on admin routes besides those the store issued.
    public var adminTokens: AdminTokens
    /// Close a connection idle for this long (keeps dead gate connections from piling up).
    public var idleTimeout: Duration
    /// The server's wall clock (tests may replace it).
    public var now: @Sendable () -> Date

    public init(host: String = "127.0.0.1", port: Int = 8080, adminTokens: AdminTokens = .none,
                idleTimeout: Duration = .seconds(75), now: @escaping @Sendable () -> Date = { Date() }) {
        self.host = host
        self.port = port
        self.adminTokens = adminTokens
        self.idleTimeout = idleTimeout
        self.now = now
    }
}
