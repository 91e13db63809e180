/// The `[metrics]` section of the gate's configuration: where `checkpointd` serves Prometheus
/// metrics (`GET /metrics`). Absent section or key: no metrics endpoint.
///
///     [metrics]
///     listen = "127.0.0.1:9464"     # loopback only: 127.0.0.0/8, [::1] or localhost
///
/// Only loopback addresses are accepted: the gate has no authentication for it, and a collector on
/// the box (or an SSH tunnel) scrapes it.
public struct MetricsConfiguration: Sendable, Hashable {
    /// The host to bind: `127.x.y.z`, `::1` or `localhost`.
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// The top-level key this type reads.
    public static let topLevelKey = "metrics"

    /// Reads `[metrics]` of `root`; nil when it or its `listen` is absent.
    public static func parse(_ root: ConfigTable) throws(ConfigError) -> MetricsConfiguration? {
        guard let t = try root.table(topLevelKey) else { return nil }
        try t.rejectUnknownKeys(["listen"])
        guard let listen = try t.string("listen") else { return nil }
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]), (1...65_535).contains(port) else {
            throw t.error("listen", "\"\(listen)\" is not HOST:PORT, e.g. \"127.0.0.1:9464\"")
        }
        var host = String(listen[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard isLoopback(host) else {
            throw t.error("listen", "\"\(host)\" is not a loopback address: metrics are served on 127.0.0.1, [::1] or localhost only")
        }
        return MetricsConfiguration(host: host, port: port)
    }

    /// `localhost`, `::1`, or a dotted IPv4 address in 127.0.0.0/8.
    static func isLoopback(_ host: String) -> Bool {
        if host == "localhost" || host == "::1" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts.allSatisfy({ p in UInt8(p).map { String($0) == p } ?? false }) else { return false }
        return parts[0] == "127"
    }
}
