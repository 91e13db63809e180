import CentralStore
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
    /// Serve HTTPS with this certificate chain and key (PEM files); nil = plain HTTP.
    public var tls: TLSFiles?
    /// The server's wall clock (tests may replace it).
    public var now: @Sendable () -> Date
    /// bcrypt for account passwords (tests use a low cost).
    public var passwordHasher: PasswordHasher
    /// Failed sign-ins per username before 429.
    public var signInThrottle: SignInThrottle
    /// The district's alert webhook, if any (its delivery log is served either way; the sender is a
    /// `WebhookService` run beside the application).
    public var webhook: WebhookConfiguration?
    /// When gates' heartbeats and silence raise alerts (silence is watched by a `GateWatchService`).
    public var gateAlerts: GateAlertRules
    /// The district key's use: the watch list as digests for gates, ledgers kept as digests.
    public var credentialPrivacy: CredentialPrivacy

    /// PEM files of the server's certificate chain (leaf first) and its private key.
    public struct TLSFiles: Sendable, Hashable {
        public var certificateChainPath: String
        public var privateKeyPath: String

        public init(certificateChainPath: String, privateKeyPath: String) {
            self.certificateChainPath = certificateChainPath
            self.privateKeyPath = privateKeyPath
        }
    }

    public init(host: String = "127.0.0.1", port: Int = 8080, adminTokens: AdminTokens = .none,
                idleTimeout: Duration = .seconds(75), tls: TLSFiles? = nil,
                now: @escaping @Sendable () -> Date = { Date() },
                passwordHasher: PasswordHasher = PasswordHasher(), signInThrottle: SignInThrottle = SignInThrottle(),
                webhook: WebhookConfiguration? = nil, gateAlerts: GateAlertRules = .standard,
                credentialPrivacy: CredentialPrivacy = .plain) {
        self.credentialPrivacy = credentialPrivacy
        self.webhook = webhook
        self.gateAlerts = gateAlerts
        self.passwordHasher = passwordHasher
        self.signInThrottle = signInThrottle
        self.host = host
        self.port = port
        self.adminTokens = adminTokens
        self.idleTimeout = idleTimeout
        self.tls = tls
        self.now = now
    }
}
