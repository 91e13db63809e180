import ArgumentParser
import CentralServer
import CentralStore
import CredentialDigest
import DeviceIO
import Foundation
import Logging
import ServiceLifecycle

/// `checkpoint-central serve`: run the HTTP API until SIGTERM/SIGINT, then stop accepting, finish
/// in-flight requests, close the store.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the HTTP API.",
        discussion: """
            Admin tokens accepted besides those created with `admin-token create` come from, in order:
            --admin-token-file PATH, $CHECKPOINT_CENTRAL_ADMIN_TOKEN_FILE, $CREDENTIALS_DIRECTORY/admin-tokens
            (systemd LoadCredential=), $CHECKPOINT_CENTRAL_ADMIN_TOKEN. Never pass a token in argv.
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var log: LogOptions

    @Option(name: .long, help: "HOST:PORT to listen on ([::1]:8080 for IPv6; port 0 = any free port).")
    var listen: String = "127.0.0.1:8080"

    @Option(name: .long, help: "File of admin tokens (one per line, `sha256:<hex>` or plain).")
    var adminTokenFile: String?

    @Option(name: .long, help: "Close connections idle this many seconds.")
    var idleTimeout: Int = 75

    @Option(name: .long, help: "PEM certificate chain: serve HTTPS (with --tls-key).")
    var tlsCert: String?

    @Option(name: .long, help: "PEM private key of --tls-cert (readable only by the service).")
    var tlsKey: String?

    @Option(name: .long, help: "Keep ledger entries this many days (0 = until erased).")
    var keepEntriesDays: Int = RetentionPolicy.standard.entryDays ?? 0
    @Option(name: .long, help: "Keep alerts this many days (0 = until erased).")
    var keepAlertsDays: Int = RetentionPolicy.standard.alertDays ?? 0
    @Option(name: .long, help: "Keep quarantined records this many days (0 = until erased).")
    var keepQuarantineDays: Int = RetentionPolicy.standard.quarantineDays ?? 0
    @Option(name: .long, help: "Keep the audit log this many days (0 = for ever).")
    var keepAuditDays: Int = RetentionPolicy.standard.auditDays ?? 0
    @Option(name: .long, help: "Minutes between retention purges.")
    var purgeIntervalMinutes: Int = 60

    @Option(name: .long, help: "Alert when a gate sent neither heartbeat nor records for this many minutes.")
    var gateSilentMinutes: Double = GateAlertRules.standard.silentAfter / 60
    @Option(name: .long, help: "Alert when a gate's clock is off the server's by more than this many seconds.")
    var clockOffsetAlertSeconds: Double = GateAlertRules.standard.clockOffsetBound

    var gateAlerts: GateAlertRules {
        GateAlertRules(silentAfter: gateSilentMinutes * 60, clockOffsetBound: clockOffsetAlertSeconds,
                       faultStatuses: GateAlertRules.standard.faultStatuses)
    }

    @Option(name: .long, help: "POST every alert, signed, to this http(s) URL (the district's webhook).")
    var webhookURL: String?
    @Option(name: .long, help: "File holding the webhook's HMAC key (≥ 32 bytes; default $CREDENTIALS_DIRECTORY/webhook-key).")
    var webhookKeyFile: String?
    @Option(name: .long, help: "Alert kinds to forward, comma-separated (default: every kind).")
    var webhookKinds: String?
    @Flag(name: .long, help: "Send credential payloads unmasked to the webhook.")
    var webhookIdentity = false
    @Option(name: .long, help: "Attempts per webhook delivery before it is given up.")
    var webhookMaxAttempts: Int = WebhookRetryPolicy.standard.maxAttempts
    @Option(name: .long, help: "Seconds before the first retry of a webhook delivery (doubling, at most an hour).")
    var webhookRetrySeconds: Double = WebhookRetryPolicy.standard.initialDelay

    /// The webhook as the options describe it; nil without --webhook-url.
    func webhook() throws -> WebhookConfiguration? {
        guard let text = webhookURL else { return nil }
        guard let url = URL(string: text) else { throw ValidationError("--webhook-url is not a URL: \(text)") }
        var keyPath = webhookKeyFile
        if keyPath == nil, let credentials = ProcessInfo.processInfo.environment["CREDENTIALS_DIRECTORY"] {
            keyPath = credentials + "/webhook-key"
        }
        guard let keyPath else { throw ValidationError("--webhook-url needs --webhook-key-file") }
        var kinds: Set<AlertKind>?
        if let webhookKinds {
            kinds = try Set(webhookKinds.split(separator: ",").map { name in
                guard let kind = AlertKind(rawValue: name.trimmingCharacters(in: .whitespaces)) else {
                    throw ValidationError("--webhook-kinds: unknown kind \(name) (\(AlertKind.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                return kind
            })
        }
        let retry = WebhookRetryPolicy(initialDelay: webhookRetrySeconds, maximumDelay: 3_600, maxAttempts: webhookMaxAttempts)
        return try WebhookConfiguration(url: url, key: try WebhookConfiguration.loadKey(path: keyPath), kinds: kinds,
                                        includeIdentity: webhookIdentity, retry: retry)
    }

    @Option(name: .long, help: ArgumentHelp(
        "File holding the district key (mode 0600; default $CREDENTIALS_DIRECTORY/district-key if present).",
        discussion: "With it, gates receive the watch list as keyed digests without reasons (their [central] districtKeyFile must hold the same key)."))
    var districtKeyFile: String?
    @Flag(name: .long, help: "Keep credential payloads in the ledgers only as keyed digests (needs the district key).")
    var keepDigestsOnly = false

    /// The district key's use as the options describe it.
    func credentialPrivacy(logger: Logger) throws -> CredentialPrivacy {
        var path = districtKeyFile
        if path == nil, let credentials = ProcessInfo.processInfo.environment["CREDENTIALS_DIRECTORY"] {
            let candidate = credentials + "/district-key"
            if FileManager.default.fileExists(atPath: candidate) { path = candidate }
        }
        guard let path else {
            if keepDigestsOnly { throw ValidationError("--keep-digests-only needs --district-key-file") }
            logger.notice("no district key: gates receive the watch list as scanned codes")
            return .plain
        }
        let digester: CredentialDigester
        do { digester = try CredentialDigester(keyFile: path) } catch { throw ValidationError("\(error)") }
        logger.notice("district key loaded", metadata: ["file": "\(path)", "ledgers": "\(keepDigestsOnly ? "digests only" : "payloads")"])
        return CredentialPrivacy(digester: digester, keepDigestsOnly: keepDigestsOnly)
    }

    var retention: RetentionPolicy {
        func days(_ value: Int) -> Int? { value > 0 ? value : nil }
        return RetentionPolicy(entryDays: days(keepEntriesDays), alertDays: days(keepAlertsDays),
                               quarantineDays: days(keepQuarantineDays), auditDays: days(keepAuditDays))
    }

    func validate() throws {
        guard [keepEntriesDays, keepAlertsDays, keepQuarantineDays, keepAuditDays].allSatisfy({ $0 >= 0 }), purgeIntervalMinutes > 0 else {
            throw ValidationError("retention days must be ≥ 0 and --purge-interval-minutes > 0")
        }
        guard (tlsCert == nil) == (tlsKey == nil) else { throw ValidationError("--tls-cert and --tls-key go together") }
        guard gateSilentMinutes > 0, clockOffsetAlertSeconds > 0 else {
            throw ValidationError("--gate-silent-minutes and --clock-offset-alert-seconds must be > 0")
        }
        guard webhookMaxAttempts >= 1, webhookRetrySeconds > 0 else {
            throw ValidationError("--webhook-max-attempts must be ≥ 1 and --webhook-retry-seconds > 0")
        }
    }

    func run() async throws {
        let logger = try log.bootstrap()
        let (host, port) = try Self.parseListen(listen)
        let tokens = try loadAdminTokens(logger: logger)
        let tls = tlsCert.flatMap { cert in
            tlsKey.map { CentralServerConfiguration.TLSFiles(certificateChainPath: cert, privateKeyPath: $0) }
        }
        let webhook = try webhook()
        let configuration = CentralServerConfiguration(host: host, port: port, adminTokens: tokens,
                                                       idleTimeout: .seconds(idleTimeout), tls: tls, webhook: webhook,
                                                       gateAlerts: gateAlerts, credentialPrivacy: try credentialPrivacy(logger: logger))
        let alertFeed = AlertFeed()
        let notifier = SystemdNotifier()
        let storage = try await store.open(logger: logger)
        let application: any Service
        do {
            let durability = try await storage.durabilitySettings()
            logger.notice("store open", metadata: [
                "engine": "\(storage.engine.rawValue)",
                "durability": "\(durability.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))",
            ])
            let engine = storage.engine.rawValue
            application = try CentralServer.makeApplication(store: storage, configuration: configuration, logger: logger,
                                                            alertFeed: alertFeed) { boundHost, boundPort in
                notifier.ready(status: "serving on \(boundHost):\(boundPort), store \(engine)")
            }
        } catch {
            await storage.close()
            throw error
        }
        var services: [any Service] = [
            StoreService(store: storage), application,
            RetentionService(store: storage, policy: retention, interval: .seconds(60 * purgeIntervalMinutes), logger: logger),
            ShutdownNotice(notifier: notifier),
            GateWatchService(store: storage, rules: gateAlerts, feed: alertFeed, logger: logger),
            CentralWatchdog(notifier: notifier, store: storage, logger: logger),
        ]
        if let webhook {
            let sender = WebhookService(store: storage, configuration: webhook, feed: alertFeed, logger: logger)
            do {
                try await sender.registerEndpoint()
            } catch {
                await storage.close()
                throw error
            }
            services.append(sender)
        }
        let group = ServiceGroup(configuration: .init(
            services: services,
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        try await group.run()
        logger.notice("stopped")
    }

    func loadAdminTokens(logger: Logger) throws -> AdminTokens {
        let environment = ProcessInfo.processInfo.environment
        var path = adminTokenFile ?? environment["CHECKPOINT_CENTRAL_ADMIN_TOKEN_FILE"]
        if path == nil, let credentials = environment["CREDENTIALS_DIRECTORY"] {
            let candidate = credentials + "/admin-tokens"
            if FileManager.default.fileExists(atPath: candidate) { path = candidate }
        }
        if let path {
            let tokens = try AdminTokens.load(path: path)
            logger.notice("admin tokens loaded", metadata: ["file": "\(path)", "count": "\(tokens.count)"])
            return tokens
        }
        if let token = environment["CHECKPOINT_CENTRAL_ADMIN_TOKEN"], !token.isEmpty {
            return try AdminTokens.parse(token, source: "$CHECKPOINT_CENTRAL_ADMIN_TOKEN")
        }
        return .none
    }

    /// `HOST:PORT` or `[IPv6]:PORT`.
    static func parseListen(_ text: String) throws -> (String, Int) {
        guard let colon = text.lastIndex(of: ":") else { throw ValidationError("--listen must be HOST:PORT, got \(text)") }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
            throw ValidationError("--listen must be HOST:PORT with a port 0…65535, got \(text)")
        }
        return (host, port)
    }
}
