import Foundation
import CheckpointCore
import Hummingbird
import Logging

/// The request context of the central store's router: Hummingbird's core storage plus who the
/// authentication middleware found the caller to be.
public struct CentralRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The gate whose credential authenticated this request (gate routes only).
    public var authenticatedGate: String?
    /// The person or admin token `PrincipalAuthenticationMiddleware` found (reading, administration, pages).
    public var principal: Principal?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.authenticatedGate = nil
        self.principal = nil
    }

    /// Bodies are read by `RequestBodyReader` with per-route limits; this is Hummingbird's own cap.
    public var maxUploadSize: Int { FieldLimits.maxIngestBodyBytes }

    /// The gate id set by `GateAuthenticationMiddleware`; a route that needs it and finds none is a
    /// programming error reported as 500, never a crash.
    public func requireGate() throws -> String {
        guard let gate = authenticatedGate else { throw APIError.internalError("gate route without gate authentication") }
        return gate
    }

    /// The caller of a reading or administration route, holding `permission`; 403 if it lacks it.
    /// A route without authentication is a programming error (500), never a crash.
    public func require(_ permission: Permission) throws -> Principal {
        guard let principal else { throw APIError.internalError("admin route without authentication") }
        try principal.require(permission)
        return principal
    }
}
