import CheckpointCore

/// The `[central]` section: where and how the gate forwards its journal. Absent: the gate works
/// offline only (the journal keeps everything until a central store is configured).
///
///     [central]
///     url = "https://central.example.org"   # base URL; /v1/ingest etc. are appended
///     secretsFile = "/etc/checkpoint/secret"  # the gate's secret; must not be group/other readable
///     caFile = "/etc/checkpoint/central-ca.pem" # optional; default: the system trust store
///     batchSize = 500                        # records per ingest request (1…500)
///     heartbeatSeconds = 30
///     requestTimeoutSeconds = 10
///     backoffInitialMs = 500                 # first retry delay; doubles up to backoffMaxMs, with jitter
///     backoffMaxMs = 60000
///     watchListSeconds = 60                  # at the latest, poll the watch list this often
///     districtKeyFile = "/etc/checkpoint/district.key" # the district key (mode 0600): needed when the
///                                            # store sends the watch list as keyed digests
public struct CentralConfiguration: Sendable, Hashable {
    public var url: String
    public var secretsFile: String
    public var caFile: String?
    public var batchSize: Int = FieldLimits.maxRecordsPerBatch
    public var heartbeatSeconds: Int = 30
    public var requestTimeoutSeconds: Int = 10
    public var backoffInitialMs: Int = 500
    public var backoffMaxMs: Int = 60_000
    public var watchListSeconds: Int = 60
    /// The district key, to match scans against a keyed watch list (docs/contracts.md §13).
    public var districtKeyFile: String?

    public init(url: String, secretsFile: String, caFile: String? = nil) {
        self.url = url
        self.secretsFile = secretsFile
        self.caFile = caFile
    }

    static let keys: Set<String> = [
        "url", "secretsFile", "caFile", "batchSize", "heartbeatSeconds", "requestTimeoutSeconds", "backoffInitialMs",
        "backoffMaxMs", "watchListSeconds", "districtKeyFile",
    ]

    /// Reads `[central]`; nil if the section is absent.
    public static func parse(_ root: ConfigTable) throws(ConfigError) -> CentralConfiguration? {
        guard let t = try root.table("central") else { return nil }
        try t.rejectUnknownKeys(keys)
        let url = try t.requiredString("url")
        guard url.hasPrefix("https://") || url.hasPrefix("http://") else {
            throw t.error("url", "must start with https:// (or http:// for a loopback test)")
        }
        var c = CentralConfiguration(url: url, secretsFile: try t.requiredString("secretsFile"), caFile: try t.string("caFile"))
        c.batchSize = try t.int("batchSize", default: c.batchSize, in: 1...FieldLimits.maxRecordsPerBatch)
        c.heartbeatSeconds = try t.int("heartbeatSeconds", default: c.heartbeatSeconds, in: 1...3_600)
        c.requestTimeoutSeconds = try t.int("requestTimeoutSeconds", default: c.requestTimeoutSeconds, in: 1...300)
        c.backoffInitialMs = try t.int("backoffInitialMs", default: c.backoffInitialMs, in: 10...600_000)
        c.backoffMaxMs = try t.int("backoffMaxMs", default: c.backoffMaxMs, in: 10...3_600_000)
        guard c.backoffInitialMs <= c.backoffMaxMs else { throw t.error("backoffMaxMs", "must be ≥ backoffInitialMs") }
        c.watchListSeconds = try t.int("watchListSeconds", default: c.watchListSeconds, in: 1...86_400)
        c.districtKeyFile = try t.string("districtKeyFile")
        return c
    }
}
