import CentralStore
import CheckpointCore
import Foundation
import Hummingbird

/// Gates on the page: the gates of the person's places; for roles that manage gates, register a new
/// one (its credential shown once), rotate a secret explicitly (shown once), revoke — each audited,
/// each limited to the person's places like the API; for roles with `openGates`, open a lane once
/// (the same command, audit and wake-up as `POST /v1/admin/gates/{gate}/lanes/{lane}/open`).
struct GatePageRoutes {
    let store: any CentralStorage
    let assets: WebAssets
    let now: @Sendable () -> Date
    let remoteOpen: RemoteOpenRoutes
    var audit: AuditTrail { AuditTrail(store: store, now: now) }

    func register(on pages: RouterGroup<CentralRequestContext>) {
        pages.get("/ui/gates", use: show)
        pages.post("/ui/gates/register", use: registerGate)
        pages.post("/ui/gates/rotate", use: rotate)
        pages.post("/ui/gates/revoke", use: revoke)
        pages.post("/ui/gates/open", use: openOnce)
    }

    /// `/ui/gates[?opened=COMMAND&gate=G&lane=L]`: the list; after an open once, a notice naming it.
    @Sendable func show(_ request: Request, context: CentralRequestContext) async throws -> Response {
        let principal = try context.require(.readGates)
        let query = request.uri.queryParameters
        var message: String?
        if let command = query["opened"].flatMap({ UUID(uuidString: String($0)) }),
           let gate = query["gate"].map(String.init), let lane = query["lane"].map(String.init),
           FieldLimits.isValidIdentifier(gate), FieldLimits.isValidIdentifier(lane) {
            let text = WebPage(assets: assets, request: request).text
            message = "\(text["openSent"] ?? "Open once sent:") \(text["gate"] ?? "gate") \(gate), \(text["lane"] ?? "lane") \(lane) (\(command.uuidString.lowercased()))"
        }
        return try await page(request, principal, issued: nil, message: message)
    }

    /// The form's `gate` and `lane` (CSRF-checked): one open-once command with the default expiry,
    /// then back to the list with a notice (303).
    @Sendable func openOnce(_ request: Request, context: CentralRequestContext) async throws -> Response {
        let principal = try context.require(.openGates)
        let form = try await FormBody.read(request, checkedFor: principal)
        guard let gate = form["gate"], FieldLimits.isValidIdentifier(gate),
              let lane = form["lane"]?.trimmingCharacters(in: .whitespaces), FieldLimits.isValidIdentifier(lane) else {
            throw APIError.badRequest("gate and lane must be identifiers (1…64 of A–Z a–z 0–9 . _ -)", code: "invalidInput")
        }
        let command = try await remoteOpen.openOnce(gate: gate, lane: lane, seconds: RemoteOpenRoutes.defaultExpirySeconds,
                                                    by: principal, logger: context.logger, via: "page")
        let location = "/ui/gates?opened=\(command.id.uuidString.lowercased())&gate=\(gate)&lane=\(lane)"
        return Response(status: .seeOther, headers: [.location: location])
    }

    @Sendable func registerGate(_ request: Request, context: CentralRequestContext) async throws -> Response {
        let principal = try context.require(.manageGates)
        let form = try await FormBody.read(request, checkedFor: principal)
        let gate = form["gate"] ?? "", checkpoint = form["checkpoint"] ?? ""
        guard FieldLimits.isValidIdentifier(gate), FieldLimits.isValidIdentifier(checkpoint) else {
            throw APIError.badRequest("gate and checkpoint must be identifiers (1…64 of A–Z a–z 0–9 . _ -)", code: "invalidInput")
        }
        let issued = try await adminCall {
            try principal.requirePlace(PlaceScope(level: .checkpoint, id: checkpoint), in: try await PlaceTree.load(store))
            return try await store.registerGate(gate, checkpoint: checkpoint, at: now())
        }
        try await audit.record(principal, .secretIssue, target: "gate \(gate)", detail: "registered under checkpoint \(checkpoint) (page)")
        return try await page(request, principal, issued: "\(issued.subject):\(issued.secret)", message: nil)
    }

    @Sendable func rotate(_ request: Request, context: CentralRequestContext) async throws -> Response {
        let principal = try context.require(.manageGates)
        let gate = try await ownGate(request, principal)
        let issued = try await adminCall { try await store.rotateGateSecret(gate, at: now()) }
        try await audit.record(principal, .secretIssue, target: "gate \(gate)", detail: "secret rotated (page)")
        return try await page(request, principal, issued: "\(issued.subject):\(issued.secret)", message: nil)
    }

    @Sendable func revoke(_ request: Request, context: CentralRequestContext) async throws -> Response {
        let principal = try context.require(.manageGates)
        let gate = try await ownGate(request, principal)
        try await adminCall { try await store.revokeGate(gate, at: now()) }
        try await audit.record(principal, .gateRevoke, target: "gate \(gate)", detail: "page")
        return Response(status: .seeOther, headers: [.location: "/ui/gates"])
    }

    /// The form's `gate`, checked: a valid id under the person's places.
    func ownGate(_ request: Request, _ principal: Principal) async throws -> String {
        let form = try await FormBody.read(request, checkedFor: principal)
        guard let gate = form["gate"], FieldLimits.isValidIdentifier(gate) else {
            throw APIError.badRequest("gate must be an identifier", code: "invalidInput")
        }
        try await adminCall { try principal.requirePlace(PlaceScope(level: .gate, id: gate), in: try await PlaceTree.load(store)) }
        return gate
    }

    /// A gate's profile cell (as `GET /v1/profiles/gates` has it): the applied version ("—" before the
    /// gate reported one), the store's current version, and the refused version with its reason.
    static func profileValues(_ status: GateProfileStatus?) -> [String: Any] {
        var values: [String: Any] = ["appliedVersion": status?.report.map { "v\($0.appliedVersion)" } ?? "—",
                                     "currentVersion": "v\(status?.currentVersion ?? 0)"]
        if let report = status?.report, let refused = report.refusedVersion {
            values["refused"] = true
            values["refusedVersion"] = "v\(refused)"
            values["refusal"] = report.refusal ?? ""
        }
        return values
    }

    func page(_ request: Request, _ principal: Principal, issued: String?, message: String?) async throws -> Response {
        let web = WebPage(assets: assets, request: request)
        return try await adminCall {
            let tree = try await PlaceTree.load(store)
            var values = web.context("gates", principal: principal, tree: tree)
            let canManage = principal.has(.manageGates), canOpen = principal.has(.openGates)
            values["canManage"] = canManage
            values["canAct"] = canManage || canOpen
            if let issued { values["issued"] = issued }
            if let message { values["message"] = message }
            values["checkpoints"] = tree.checkpoints(under: principal.scope).map { ["id": $0.id, "name": $0.name] }
            let profiles = Dictionary(try await store.gateProfiles(scope: principal.scope).map { ($0.gate, $0) }) { first, _ in first }
            values["gates"] = try await store.gates()
                .filter { tree.contains(principal.scope, PlaceScope(level: .gate, id: $0.id)) }
                .map { gate -> [String: Any] in
                    Self.profileValues(profiles[gate.id]).merging(["id": gate.id, "checkpoint": web.name(of: PlaceScope(level: .checkpoint, id: gate.checkpoint), in: tree),
                     "registeredAt": gate.registeredAt.map(WebPage.local) ?? "—",
                     "state": gate.revokedAt == nil ? (web.text["active"] ?? "active") : (web.text["revoked"] ?? "revoked"),
                     "active": gate.revokedAt == nil, "canManage": canManage, "canOpen": canOpen && gate.revokedAt == nil,
                     "csrf": principal.csrfToken ?? ""]) { _, row in row }
                }
            return web.html("gates", values)
        }
    }
}
