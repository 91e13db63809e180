import CentralStore
import CheckpointCore
import Foundation
import Hummingbird

/// Administration of gates: register (the secret is shown once), rotate a secret explicitly, revoke,
/// list with health and gaps — each limited to the caller's places.
struct GateAdminRoutes {
    let store: any CentralStorage
    let now: @Sendable () -> Date
    var audit: AuditTrail { AuditTrail(store: store, now: now) }

    func register(on group: RouterGroup<CentralRequestContext>) {
        group.get("/v1/gates", use: list)
        group.post("/v1/gates", use: registerGate)
        group.get("/v1/gates/{gate}", use: show)
        group.post("/v1/gates/{gate}/secret", use: rotateSecret)
        group.post("/v1/gates/{gate}/revoke", use: revoke)
    }

    /// `GET /v1/gates[?level=&id=]`: every gate under the caller's places (or under one of them) with health and gaps.
    @Sendable func list(_ request: Request, context: CentralRequestContext) async throws -> Response {
        let principal = try context.require(.readGates)
        let requested = try QueryParameters(request).placeScope()
        return try await adminCall {
            let scope = try principal.effectiveScope(requested, in: try await PlaceTree.load(store))
            return try JSONResponse.make(try await GateList.collect(from: store, scope: scope))
        }
    }

    /// `GET /v1/gates/{gate}`: one gate with health and gaps; 404 if unknown.
    @Sendable func show(_ request: Request, context: CentralRequestContext) async throws -> Response {
        let principal = try context.require(.readGates)
        let id = try gateParameter(context)
        return try await adminCall {
            try principal.requirePlace(PlaceScope(level: .gate, id: id), in: try await PlaceTree.load(store))
            guard let gate = try await store.gates().first(where: { $0.id == id }) else {
                throw APIError.notFound("no gate \(id)")
            }
            let health = try await store.gateHealth(scope: PlaceScope(level: .gate, id: id)).first
            return try JSONResponse.make(GateStatus(gate: gate, health: health, gaps: try await store.gaps(gate: id)))
        }
    }

    /// `POST /v1/gates`: registers a new gate → 201 with its secret; a gate that already holds a
    /// secret → 409 `gateExists` (rotate with `POST /v1/gates/{gate}/secret`).
    @Sendable func registerGate(_ request: Request, context: CentralRequestContext) async throws -> Response {
        let principal = try context.require(.manageGates)
        let body = try await RequestBodyReader.decodeStrictJSON(RegisterGateRequest.self, from: request,
                                                          limit: GateRoutes.maxSmallBodyBytes)
        guard FieldLimits.isValidIdentifier(body.id) else {
            throw APIError.badRequest("field `id` is not a valid identifier (1…64 of A–Z a–z 0–9 . _ -)", code: "invalidInput")
        }
        guard FieldLimits.isValidIdentifier(body.checkpoint) else {
            throw APIError.badRequest("field `checkpoint` is not a valid identifier", code: "invalidInput")
        }
        return try await adminCall {
            try principal.requirePlace(PlaceScope(level: .checkpoint, id: body.checkpoint), in: try await PlaceTree.load(store))
            let issued = try await store.registerGate(body.id, checkpoint: body.checkpoint, at: now())
            try await audit.record(principal, .secretIssue, target: "gate \(body.id)", detail: "registered under checkpoint \(body.checkpoint)")
            context.logger.notice("gate registered", metadata: ["gate": "\(body.id)", "checkpoint": "\(body.checkpoint)"])
            return try JSONResponse.make(RegisteredGate(gate: issued.subject, checkpoint: body.checkpoint, secret: issued.secret),
                                         status: .created)
        }
    }

    /// `POST /v1/gates/{gate}/secret`: a new secret for an existing gate (the old one stops working,
    /// a revocation is lifted) → 200 with the secret, shown once.
    @Sendable func rotateSecret(_ request: Request, context: CentralRequestContext) async throws -> Response {
        let principal = try context.require(.manageGates)
        let id = try gateParameter(context)
        return try await adminCall {
            try principal.requirePlace(PlaceScope(level: .gate, id: id), in: try await PlaceTree.load(store))
            let issued = try await store.rotateGateSecret(id, at: now())
            try await audit.record(principal, .secretIssue, target: "gate \(id)", detail: "secret rotated")
            context.logger.notice("gate secret rotated", metadata: ["gate": "\(id)"])
            guard let gate = try await store.gates().first(where: { $0.id == id }) else { throw APIError.notFound("no gate \(id)") }
            return try JSONResponse.make(RegisteredGate(gate: id, checkpoint: gate.checkpoint, secret: issued.secret))
        }
    }

    /// `POST /v1/gates/{gate}/revoke`: the gate's credential stops working at once; its records stay.
    @Sendable func revoke(_ request: Request, context: CentralRequestContext) async throws -> Response {
        let principal = try context.require(.manageGates)
        let id = try gateParameter(context)
        return try await adminCall {
            try principal.requirePlace(PlaceScope(level: .gate, id: id), in: try await PlaceTree.load(store))
            try await store.revokeGate(id, at: now())
            try await audit.record(principal, .gateRevoke, target: "gate \(id)")
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
func adminCall<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as APIError {
        throw error
    } catch {
        throw StoreErrorMapping.apiError(for: error, audience: .admin)
    }
}
