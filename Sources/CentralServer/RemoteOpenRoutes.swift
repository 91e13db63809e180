import CentralStore
import CheckpointCore
import Foundation
import Hummingbird
import Logging

/// Remote open (docs/central-api.md "Remote open"): staff with `openGates` ask a gate to open a
/// lane once; the gate's long-poll hands the command out at once and the gate acknowledges it.
struct RemoteOpenRoutes {
    /// Bounds of `expiresIn` (seconds) and its default.
    static let expiryRange: ClosedRange<Int64> = 5...300
    static let defaultExpirySeconds: Int64 = 30
    /// The longest a gate's poll is held open (seconds).
    static let maxWaitSeconds: Int64 = 25

    let store: any CentralStorage
    let notifier: CommandNotifier
    let now: @Sendable () -> Date
    var audit: AuditTrail { AuditTrail(store: store, now: now) }

    func register(admin group: RouterGroup<CentralRequestContext>) {
        group.post("/v1/admin/gates/{gate}/lanes/{lane}/open", use: open)
        group.get("/v1/admin/commands/{id}", use: show)
    }

    func register(gate group: RouterGroup<CentralRequestContext>) {
        group.get("/v1/commands", use: poll)
        group.post("/v1/commands/{id}/ack", use: acknowledge)
    }

    /// `POST /v1/admin/gates/{gate}/lanes/{lane}/open[?expiresIn=S]` → 201 with the command.
    @Sendable func open(_ request: Request, context: CentralRequestContext) async throws -> Response {
        let principal = try context.require(.openGates)
        let (gate, lane) = try (identifier("gate", context), identifier("lane", context))
        let seconds = try QueryParameters(request).integer("expiresIn", in: Self.expiryRange) ?? Self.defaultExpirySeconds
        let command = try await openOnce(gate: gate, lane: lane, seconds: seconds, by: principal, logger: context.logger, via: "API")
        return try JSONResponse.make(command, status: .created)
    }

    /// Creates an open-once command for `gate`'s `lane` expiring in `seconds`, after checking the gate
    /// is under `principal`'s places; wakes the gate's poll and audits it (`remoteOpen`, `via` the
    /// API or the page). The caller has checked `openGates` and the identifiers.
    func openOnce(gate: String, lane: String, seconds: Int64, by principal: Principal, logger: Logger,
                  via: String) async throws -> RemoteCommand {
        try await adminCall {
            try principal.requirePlace(PlaceScope(level: .gate, id: gate), in: try await PlaceTree.load(store))
            let at = now()
            let command = try await store.createCommand(gate: gate, lane: lane, requestedBy: principal.actor, at: at,
                                                        expiresAt: at.addingTimeInterval(Double(seconds)))
            notifier.notify(gate: gate)
            try await audit.record(principal, .remoteOpen, target: "gate \(gate) lane \(lane)",
                                   detail: "command \(command.id.uuidString.lowercased()), expires in \(seconds) s (\(via))")
            logger.notice("remote open", metadata: ["gate": "\(gate)", "lane": "\(lane)", "by": "\(principal.actor)", "via": "\(via)"])
            return command
        }
    }

    /// `GET /v1/admin/commands/{id}`: the command and what became of it.
    @Sendable func show(_ request: Request, context: CentralRequestContext) async throws -> Response {
        let principal = try context.require(.openGates)
        let id = try commandID(context)
        return try await adminCall {
            guard let stored = try await store.command(id) else { throw APIError.notFound("no command \(id.uuidString.lowercased())") }
            try principal.requirePlace(PlaceScope(level: .gate, id: stored.gate), in: try await PlaceTree.load(store))
            return try JSONResponse.make(stored)
        }
    }

    /// `GET /v1/commands?wait=S`: the gate's pending commands at once if any, else as soon as one is
    /// created, else an empty list after S seconds (0…25, default 0).
    @Sendable func poll(_ request: Request, context: CentralRequestContext) async throws -> Response {
        let gate = try context.requireGate()
        let wait = try QueryParameters(request).integer("wait", in: 0...Self.maxWaitSeconds) ?? 0
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(wait)
        while true {
            let generation = notifier.generation(of: gate)
            let at = now()
            let commands: [RemoteCommand]
            do {
                commands = try await store.pendingCommands(gate: gate, now: at)
            } catch {
                throw StoreErrorMapping.apiError(for: error, audience: .gate)
            }
            let remaining = deadline - clock.now
            if !commands.isEmpty || remaining <= .zero {
                return try JSONResponse.make(RemoteCommandsResponse(serverTime: at, commands: commands))
            }
            await notifier.wait(gate: gate, after: generation, timeout: remaining)
        }
    }

    /// `POST /v1/commands/{id}/ack`: what the gate did with a command → 204.
    @Sendable func acknowledge(_ request: Request, context: CentralRequestContext) async throws -> Response {
        let gate = try context.requireGate()
        let id = try commandID(context)
        let body = try await RequestBodyReader.decodeJSON(RemoteCommandAcknowledgement.self, from: request,
                                                          limit: GateRoutes.maxSmallBodyBytes)
        do {
            try await store.acknowledgeCommand(gate: gate, id: id, acknowledgement: body, at: now())
        } catch {
            throw StoreErrorMapping.apiError(for: error, audience: .gate)
        }
        context.logger.notice("command acknowledged", metadata: ["id": "\(id.uuidString.lowercased())", "outcome": "\(body.outcome.rawValue)"])
        return Response(status: .noContent)
    }

    private func identifier(_ name: String, _ context: CentralRequestContext) throws -> String {
        guard let value = context.parameters.get(name), FieldLimits.isValidIdentifier(value) else {
            throw APIError.badRequest("path parameter `\(name)` is not a valid identifier", code: "invalidParameter")
        }
        return value
    }

    private func commandID(_ context: CentralRequestContext) throws -> UUID {
        guard let text = context.parameters.get("id"), let id = UUID(uuidString: text) else {
            throw APIError.badRequest("path parameter `id` is not a UUID", code: "invalidParameter")
        }
        return id
    }
}
