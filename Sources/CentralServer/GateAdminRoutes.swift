import CentralStore
import CheckpointCore
import Foundation
import Hummingbird

/// Administration of gates: register (the secret is shown once), revoke, list with health and gaps.
struct GateAdminRoutes {
    let store: any CentralStorage
    let now: @Sendable () -> Date

    func register(on group: RouterGroup<CentralRequestContext>) {
        group.get("/v1/gates", use: list)
        group.post("/v1/gates", use: registerGate)
        group.get("/v1/gates/{gate}", use: show)
        group.post("/v1/gates/{gate}/revoke", use: revoke)
    }

    /// `GET /v1/gates[?level=&id=]`: every gate (or those under one place) with health and gaps.
    @Sendable func list(_ request: Request, context: CentralRequestContext) async throws -> Response {
        let scope = try QueryParameters(request).placeScope()
        return try await adminCall { try JSONResponse.make(try await GateList.collect(from: store, scope: scope)) }
    }

    /// `GET /v1/gates/{gate}`: one gate with health and gaps; 404 if unknown.
    @Sendable func show(_ request: Request, context: CentralRequestContext) async throws -> Response {
        let id = try gateParameter(context)
        return try await adminCall {
            guard let gate = try await store.gates().first(where: { $0.id == id }) else {
                throw APIError.notFound("no gate \(id)")
            }
            let health = try await store.gateHealth(scope: PlaceScope(level: .gate, id: id)).first
            return try JSONResponse.make(GateStatus(gate: gate, health: health, gaps: try await store.gaps(gate: id)))
        }
    }

    /// `POST /v1/gates`: registers (or re-registers, rotating the secret) → 201 with the secret.
    @Sendable func registerGate(_ request: Request, context: CentralRequestContext) async throws -> Response {
        let body = try await RequestBodyReader.decodeJSON(RegisterGateRequest.self, from: request,
                                                          limit: GateRoutes.maxSmallBodyBytes)
        guard FieldLimits.isValidIdentifier(body.id) else {
            throw APIError.badRequest("field `id` is not a valid identifier (1…64 of A–Z a–z 0–9 . _ -)", code: "invalidInput")
        }
        guard FieldLimits.isValidIdentifier(body.checkpoint) else {
            throw APIError.badRequest("field `checkpoint` is not a valid identifier", code: "invalidInput")
        }
        return try await adminCall {
            let issued = try await store.registerGate(body.id, checkpoint: body.checkpoint, at: now())
            context.logger.notice("gate registered", metadata: ["gate": "\(body.id)", "checkpoint": "\(body.checkpoint)"])
            return try JSONResponse.make(RegisteredGate(gate: issued.subject, checkpoint: body.checkpoint, secret: issued.secret),
                                         status: .created)
        }
    }

    /// `POST /v1/gates/{gate}/revoke`: the gate's credential stops working at once; its records stay.
    @Sendable func revoke(_ request: Request, context: CentralRequestContext) async throws -> Response {
        let id = try gateParameter(context)
        return try await adminCall {
            try await store.revokeGate(id, at: now())
            context.logger.notice("gate revoked", metadata: ["gate": "\(id)"])
            guard let gate = try await store.gates().first(where: { $0.id == id }) else { throw APIError.notFound("no gate \(id)") }
            return try JSONResponse.make(gate)
        }
    }

    func gateParameter(_ context: CentralRequestContext) throws -> String {
        guard let id = context.parameters.get("gate"), FieldLimits.isValidIdentifier(id) else {
            throw APIError.badRequest("path parameter `gate` is not a valid identifier", code: "invalidParameter")
        }
        return id
    }
}

/// Runs an admin route's store calls, turning store errors into API errors for an administrator.
func adminCall(_ body: () async throws -> Response) async throws -> Response {
    do {
        return try await body()
    } catch let error as APIError {
        throw error
    } catch {
        throw StoreErrorMapping.apiError(for: error, audience: .admin)
    }
}
