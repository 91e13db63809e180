import CentralStore
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOSSL
import NIOCore

/// The central store's HTTP API (Hummingbird): every route of `openapi.yaml`, wired to a
/// `CentralStorage`. Gate routes authenticate with the gate's secret, reading and administration
/// routes with an admin token, operational routes (`/openapi.yaml`, `/metrics`, `/healthz`) with none.
public enum CentralServer {
    /// The router with every route and middleware: error bodies and metrics on all routes,
    /// gate authentication on the gate routes, admin authentication on the others.
    /// The page's routes are added when `webAssets` is given (`WebAssets.load()` finds them next to the executable).
    public static func makeRouter(store: any CentralStorage, configuration: CentralServerConfiguration,
                                  metrics: ServerMetrics, openAPIText: String?,
                                  webAssets: WebAssets? = nil, alertFeed: AlertFeed = AlertFeed()) -> Router<CentralRequestContext> {
        let router = Router(context: CentralRequestContext.self)
        // Middlewares wrap only the routes registered after them: add them first.
        router.add(middleware: MetricsMiddleware(metrics: metrics))
        let routeTable = RouteTable()
        router.add(middleware: ErrorMiddleware(routes: routeTable))

        OperationsRoutes(store: store, metrics: metrics, openAPIText: openAPIText).register(on: router)

        let gateGroup = router.group().add(middleware: GateAuthenticationMiddleware(store: store))
        let remoteOpen = RemoteOpenRoutes(store: store, notifier: CommandNotifier(), now: configuration.now)
        remoteOpen.register(gate: gateGroup)
        GateRoutes(store: store, metrics: metrics, now: configuration.now, alertFeed: alertFeed,
                   gateAlerts: configuration.gateAlerts, privacy: configuration.credentialPrivacy).register(on: gateGroup)
        ProfileRoutes(store: store, now: configuration.now).register(gates: gateGroup)

        let now = configuration.now
        let adminGroup = router.group()
            .add(middleware: PrincipalAuthenticationMiddleware(store: store, configuredTokens: configuration.adminTokens,
                                                               audience: .api, now: now))
        GateAdminRoutes(store: store, now: now).register(on: adminGroup)
        PlaceRoutes(store: store).register(on: adminGroup)
        LedgerRoutes(store: store, now: now, privacy: configuration.credentialPrivacy).register(on: adminGroup)
        AlertRoutes(store: store, now: now).register(on: adminGroup)
        RegistrationRoutes(store: store, now: now).register(on: adminGroup)
        WatchListAdminRoutes(store: store, now: now).register(on: adminGroup)
        ProfileRoutes(store: store, now: now).register(admin: adminGroup)
        AccountRoutes(store: store, hasher: configuration.passwordHasher, now: now, privacy: configuration.credentialPrivacy).register(on: adminGroup)
        AlertStreamRoute(store: store, feed: alertFeed).register(on: adminGroup)
        remoteOpen.register(admin: adminGroup)
        let webhookRoutes = WebhookRoutes(store: store, endpoint: configuration.webhook?.url)
        webhookRoutes.register(api: adminGroup)

        if let assets = webAssets {
            let pages = router.group()
                .add(middleware: PrincipalAuthenticationMiddleware(store: store, configuredTokens: configuration.adminTokens,
                                                                   audience: .page, now: now))
            WebRoutes(store: store, assets: assets, configuration: configuration, remoteOpen: remoteOpen).register(public: router, pages: pages)
            webhookRoutes.register(pages: pages, assets: assets)
        }
        routeTable.set(router.routes.map { (method: $0.method.rawValue, pattern: $0.path.description) })
        return router
    }

    /// The application (a ServiceLifecycle `Service`): run it in a `ServiceGroup` after the store,
    /// so that on SIGTERM it stops accepting, finishes in-flight requests (whole batches), and only
    /// then the store closes. `onListening` gets the bound host and port (useful with port 0).
    /// `alertFeed` is woken by every ingest that may have raised alerts: give the same one to a
    /// `WebhookService` run beside it.
    /// Throws `TLSSetupError` if TLS files are configured but cannot be loaded.
    public static func makeApplication(
        store: any CentralStorage, configuration: CentralServerConfiguration, logger: Logger,
        metrics: ServerMetrics = ServerMetrics(), openAPIText: String? = OpenAPIDocument.load(),
        webAssets: WebAssets? = try? WebAssets.load(), alertFeed: AlertFeed = AlertFeed(),
        onListening: @escaping @Sendable (String, Int) async -> Void = { _, _ in }
    ) throws -> Application<RouterResponder<CentralRequestContext>> {
        let router = makeRouter(store: store, configuration: configuration, metrics: metrics, openAPIText: openAPIText,
                                webAssets: webAssets, alertFeed: alertFeed)
        if webAssets == nil {
            logger.warning("page templates not found; the page is not served", metadata: ["looked": "\(WebAssets.candidateDirectories())"])
        }
        if openAPIText == nil {
            logger.warning("openapi.yaml not found; GET /openapi.yaml will answer 503",
                           metadata: ["looked": "\(OpenAPIDocument.candidatePaths())"])
        }
        let host = configuration.host
        let http1 = HTTPServerBuilder.http1(configuration: .init(idleTimeout: TimeAmount(configuration.idleTimeout)))
        let server = try configuration.tls.map { try HTTPServerBuilder.tls(http1, tlsConfiguration: try tlsConfiguration($0)) }
        return Application(
            router: router,
            server: server ?? http1,
            configuration: .init(address: .hostname(host, port: configuration.port), serverName: "checkpoint-central"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? configuration.port
                logger.notice("listening", metadata: ["host": "\(host)", "port": "\(port)"])
                await onListening(host, port)
            },
            logger: logger)
    }

    /// A server TLS configuration (TLS 1.2 or later) from PEM files.
    static func tlsConfiguration(_ files: CentralServerConfiguration.TLSFiles) throws -> TLSConfiguration {
        do {
            let chain = try NIOSSLCertificate.fromPEMFile(files.certificateChainPath).map { NIOSSLCertificateSource.certificate($0) }
            guard !chain.isEmpty else { throw TLSSetupError(description: "\(files.certificateChainPath): no certificate in it") }
            let key = try NIOSSLPrivateKey(file: files.privateKeyPath, format: .pem)
            var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
            configuration.minimumTLSVersion = .tlsv12
            return configuration
        } catch let error as TLSSetupError {
            throw error
        } catch {
            throw TLSSetupError(description: "cannot load TLS certificate \(files.certificateChainPath) or key \(files.privateKeyPath): \(error)")
        }
    }
}

/// TLS was asked for but its certificate or key could not be loaded.
public struct TLSSetupError: Error, CustomStringConvertible {
    public let description: String
}
