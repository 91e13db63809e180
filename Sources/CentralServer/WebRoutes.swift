import CentralStore
import CheckpointCore
import Foundation
import HTTPTypes
import Hummingbird

/// The page for people: sign in / out, today at a glance, the ledgers, live alerts. Server-rendered
/// (swift-mustache), Chinese by default (`?lang=en` switches, remembered in a cookie). Every page is
/// limited to the signed-in person's places and permissions exactly like the API it mirrors.
struct WebRoutes {
    static var signInCookie: String { SessionCookie.signInName }

    let store: any CentralStorage
    let assets: WebAssets
    let configuration: CentralServerConfiguration
    /// Shared with the API so the page's "open once" wakes the same gate polls.
    let remoteOpen: RemoteOpenRoutes
    var now: @Sendable () -> Date { configuration.now }
    var secureCookies: Bool { configuration.tls != nil }

    func register(public router: Router<CentralRequestContext>, pages: RouterGroup<CentralRequestContext>) {
        router.get("/", use: { _, _ in Response(status: .seeOther, headers: [.location: "/ui"]) })
        router.get("/static/{file}", use: staticFile)
        router.get("/signin", use: signInForm)
        router.post("/signin", use: signIn)
        pages.post("/signout", use: signOut)
        pages.get("/ui", use: today)
        pages.get("/ui/ledger", use: ledger)
        pages.get("/ui/alerts", use: alerts)
        pages.get("/ui/passages", use: passages)
        WatchListPageRoutes(store: store, assets: assets, now: now).register(on: pages)
        GatePageRoutes(store: store, assets: assets, now: now, remoteOpen: remoteOpen).register(on: pages)
    }

    /// `/ui/passages?payload=`: where one code was seen, within the person's places; every lookup is
    /// audited (by a digest of the code) before it runs, like `GET /v1/passages`.
    @Sendable func passages(_ request: Request, context: CentralRequestContext) async throws -> Response {
        let principal = try context.require(.lookupPassages)
        let page = WebPage(assets: assets, request: request)
        let payload = request.uri.queryParameters["payload"].map(String.init)?.trimmingCharacters(in: .whitespaces) ?? ""
        guard payload.utf8.count <= FieldLimits.maxCredentialPayloadBytes else {
            throw APIError.badRequest("`payload` longer than \(FieldLimits.maxCredentialPayloadBytes) bytes", code: "invalidParameter")
        }
        return try await adminCall {
            let tree = try await PlaceTree.load(store)
            var values = page.context("passages", principal: principal, tree: tree)
            values["payload"] = payload
            if !payload.isEmpty {
                try await AuditTrail(store: store, now: now).record(principal, .passageLookup,
                                                                   target: AuditTrail.credentialTarget(payload),
                                                                   detail: "page")
                let found = try await store.passages(credentialPayload: configuration.credentialPrivacy.stored(payload), range: nil,
                                                     scope: principal.scope, limit: 1000)
                values["searched"] = true
                values["rows"] = found.map { entry -> [String: Any] in
                    let record = entry.record
                    return ["time": WebPage.local(record.occurredAt),
                            "checkpoint": page.name(of: PlaceScope(level: .checkpoint, id: entry.checkpoint), in: tree),
                            "gate": record.gate, "direction": record.direction.rawValue,
                            "celsius": record.temperature.map { String(format: "%.1f", $0.celsius) } ?? "",
                            "decisionName": page.text[record.decision.rawValue] ?? record.decision.rawValue, "reason": record.reason.rawValue]
                }
            }
            return page.html("passages", values)
        }
    }

    @Sendable func staticFile(_ request: Request, context: CentralRequestContext) async throws -> Response {
        guard let name = context.parameters.get("file"), let file = assets.files[name] else { throw APIError.notFound("no such file") }
        return Response(status: .ok, headers: [.contentType: file.contentType, .cacheControl: "max-age=300"],
                        body: .init(byteBuffer: ByteBuffer(string: file.body)))
    }

    // MARK: Sign in / out

    @Sendable func signInForm(_ request: Request, context: CentralRequestContext) async throws -> Response {
        try signInPage(WebPage(assets: assets, request: request), error: nil, status: .ok)
    }

    /// The form with a fresh sign-in token (double-submit: cookie + hidden field, against login CSRF).
    func signInPage(_ page: WebPage, error: String?, status: HTTPResponse.Status) throws -> Response {
        let token = SessionCookie.newToken()
        var context = page.context("signIn", principal: nil)
        context["signinToken"] = token
        if let error { context["error"] = error }
        let cookie = "\(Self.signInCookie)=\(token); Path=/signin; HttpOnly; SameSite=Strict" + (secureCookies ? "; Secure" : "")
        return page.html("signin", context, status: status, extraHeaders: [.setCookie: cookie])
    }

    /// `POST /signin`: bcrypt check, rate-limited per username (`SignInThrottle`); success → a new
    /// session cookie and the overview; failure → the form again with one message for every cause.
    @Sendable func signIn(_ request: Request, context: CentralRequestContext) async throws -> Response {
        let page = WebPage(assets: assets, request: request)
        let form = try await FormBody.read(request)
        guard let presented = form["csrf"], let expected = request.cookies[Self.signInCookie]?.value,
              SecretToken.constantTimeEquals(presented, expected) else {
            throw APIError.forbidden("sign-in form expired; load /signin again", code: "csrf")
        }
        let username = form["username"] ?? "", password = form["password"] ?? ""
        let throttle = configuration.signInThrottle
        if let wait = await throttle.retryAfter(username, now: now()) {
            var response = try signInPage(page, error: page.text["tooManyAttempts"], status: .tooManyRequests)
            response.headers[.retryAfter] = String(Int(wait.rounded(.up)))
            return response
        }
        let found = FieldLimits.isValidIdentifier(username) ? try await adminCall { try await store.accountCredentials(username: username) } : nil
        var accepted = false
        if let found, found.account.disabledAt == nil, PasswordHasher.lengths.contains(password.utf8.count) {
            accepted = try await configuration.passwordHasher.verify(password, hash: found.passwordHash)
        }
        let audit = AuditTrail(store: store, now: now)
        let principal = Principal(actor: found?.account.username ?? "anonymous", displayName: "", role: .auditor, scope: nil)
        guard accepted, let account = found?.account else {
            await throttle.recordFailure(username, at: now())
            try await audit.record(principal, .signIn, target: "account \(AuditTrail.clip(username, 64))", detail: "refused")
            context.logger.notice("sign-in refused", metadata: ["username": "\(AuditTrail.clip(username, 64))"])
            return try signInPage(page, error: page.text["badCredentials"], status: .unauthorized)
        }
        await throttle.recordSuccess(username)
        let token = SessionCookie.newToken()
        try await adminCall {
            try await store.createSession(username: account.username, tokenSHA256: SessionCookie.digest(token),
                                          csrfToken: SessionCookie.newToken(), expiresAt: now().addingTimeInterval(SessionCookie.lifetime),
                                          at: now())
        }
        try await audit.record(principal, .signIn, target: "account \(account.username)", detail: "signed in")
        var headers: HTTPFields = [.location: "/ui", .setCookie: SessionCookie.setCookie(token, secure: secureCookies)]
        headers.append(HTTPField(name: .setCookie, value: "\(Self.signInCookie)=; Path=/signin; Max-Age=0"))
        return Response(status: .seeOther, headers: headers)
    }

    @Sendable func signOut(_ request: Request, context: CentralRequestContext) async throws -> Response {
        guard let principal = context.principal, principal.csrfToken != nil else {
            return Response(status: .seeOther, headers: [.location: "/signin"])
        }
        _ = try await FormBody.read(request, checkedFor: principal)
        if let cookie = SessionCookie.value(in: request) {
            try await adminCall { try await store.deleteSession(tokenSHA256: SessionCookie.digest(cookie), now: now()) }
        }
        return Response(status: .seeOther, headers: [.location: "/signin", .setCookie: SessionCookie.clearCookie(secure: secureCookies)])
    }

    // MARK: Pages

    /// `/ui`: today (+08:00) for the person's places: totals, fevers, per checkpoint, per hour, gates.
    @Sendable func today(_ request: Request, context: CentralRequestContext) async throws -> Response {
        let principal = try context.require(.readLedger)
        let page = WebPage(assets: assets, request: request)
        let day = WebPage.day(containing: now())
        return try await adminCall {
            let tree = try await PlaceTree.load(store)
            var values = page.context("today", principal: principal, tree: tree)
            values["day"] = WebPage.dayString(day.from)
            let counts = try await store.hourlyCounts(scope: principal.scope, range: day)
            values["totals"] = Self.tally(counts)
            let hours = Dictionary(grouping: counts, by: \.hourStart).sorted { $0.key < $1.key }
            values["hours"] = hours.map { hour, rows -> [String: Any] in
                var row = Self.tally(rows)
                row["hour"] = String(WebPage.local(hour).dropFirst(11).prefix(5))
                return row
            }
            var checkpoints: [[String: Any]] = []
            for checkpoint in tree.checkpoints(under: principal.scope) {
                var row = Self.tally(try await store.hourlyCounts(scope: PlaceScope(level: .checkpoint, id: checkpoint.id), range: day))
                row["id"] = checkpoint.id
                row["name"] = checkpoint.name
                checkpoints.append(row)
            }
            values["checkpoints"] = checkpoints
            let fevers = try await store.alerts(AlertQuery(range: day, kinds: [.fever], scope: principal.scope, limit: 1000))
            values["fevers"] = fevers.alerts.count
            values["gates"] = try await store.gateHealth(scope: principal.scope).map { health -> [String: Any] in
                let silent = health.lastContact.map { now().timeIntervalSince($0) > 300 } ?? true
                return ["id": health.gate, "checkpoint": health.checkpoint, "offline": silent,
                        "lastContact": health.lastContact.map(WebPage.local) ?? "—", "backlog": health.backlog.map(String.init) ?? "—",
                        "clockOffset": health.clockOffsetMillis.map { String(format: "%.1f", Double($0) / 1000) } ?? "—",
                        "faults": health.devices.filter { $0.status != .ok }.map { "\($0.id) \($0.status.rawValue)" }.joined(separator: ", ")]
            }
            return page.html("today", values)
        }
    }

    /// Counts per decision and their total, for a template row.
    static func tally(_ counts: [HourlyCount]) -> [String: Any] {
        var row: [String: Any] = [:]
        var total: Int64 = 0
        for decision in Decision.allCases {
            let count = counts.filter { $0.decision == decision }.reduce(0) { $0 + $1.count }
            row[decision.rawValue] = count
            total += count
        }
        row["total"] = total
        return row
    }

    /// `/ui/ledger?scope=LEVEL:ID&fromDay=&toDay=&decision=&after=`: one page of a ledger (500 entries),
    /// with CSV export of the same range and a print layout.
    @Sendable func ledger(_ request: Request, context: CentralRequestContext) async throws -> Response {
        let principal = try context.require(.readLedger)
        let page = WebPage(assets: assets, request: request)
        let query = QueryParameters(request)
        let today = WebPage.day(containing: now())
        let from = try query.string("fromDay").map { try Self.day($0) } ?? today.from
        let to = (try query.string("toDay").map { try Self.day($0) } ?? today.from).addingTimeInterval(86_400)
        guard from < to else { throw APIError.badRequest("`fromDay` must not be after `toDay`", code: "invalidParameter") }
        let decision = try query.enumSet("decision", of: Decision.self)
        let after = query.string("after").flatMap(LedgerCursor.init)
        return try await adminCall {
            let tree = try await PlaceTree.load(store)
            let choices = Self.scopeChoices(principal, tree: tree, page: page)
            var scope = choices.first?.scope ?? PlaceScope(level: .checkpoint, id: "-")
            if let text = query.string("scope") {
                let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
                scope = try QueryParameters.scope(level: parts.first ?? "", id: parts.count > 1 ? parts[1] : "")
            }
            try principal.requirePlace(scope, in: tree)
            let range = TimeRange(from: from, to: to)
            let entries = try await store.entries(LedgerQuery(scope: scope, range: range, decisions: decision, after: after, limit: 500))
            let total = Self.tally(try await store.hourlyCounts(scope: scope, range: range).filter { decision?.contains($0.decision) ?? true })["total"]
            var values = page.context("ledger", principal: principal, tree: tree)
            values["placeName"] = page.name(of: scope, in: tree)
            values["levelName"] = page.text[scope.level.rawValue] ?? scope.level.rawValue
            values["places"] = choices.map { ["value": "\($0.scope.level.rawValue):\($0.scope.id)", "label": $0.label, "selected": $0.scope == scope] }
            values["fromDay"] = WebPage.dayString(from)
            values["toDay"] = WebPage.dayString(to.addingTimeInterval(-1))
            values["decisions"] = Decision.allCases.map { ["value": $0.rawValue, "label": page.text[$0.rawValue] ?? $0.rawValue,
                                                           "selected": decision == [$0]] }
            values["total"] = total ?? 0
            values["entries"] = PayloadMask.entries(entries.entries, for: principal).map { entry -> [String: Any] in
                let record = entry.record
                return ["time": WebPage.local(record.occurredAt), "checkpoint": page.name(of: PlaceScope(level: .checkpoint, id: entry.checkpoint), in: tree),
                        "gate": record.gate, "direction": record.direction.rawValue, "payload": record.credential?.payload ?? "",
                        "celsius": record.temperature.map { String(format: "%.1f", $0.celsius) } ?? "", "decision": record.decision.rawValue,
                        "decisionName": page.text[record.decision.rawValue] ?? record.decision.rawValue, "reason": record.reason.rawValue]
            }
            var common = URLComponents()
            common.queryItems = [URLQueryItem(name: "from", value: CheckpointJSON.formatTimestamp(from)),
                                 URLQueryItem(name: "to", value: CheckpointJSON.formatTimestamp(to))]
                + (decision.map { [URLQueryItem(name: "decision", value: $0.map(\.rawValue).sorted().joined(separator: ","))] } ?? [])
            let rangeQuery = (common.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
            values["csvURL"] = "/v1/ledgers/\(scope.level.rawValue)/\(scope.id)?format=csv&utcOffset=%2B08:00&\(rangeQuery)"
            if let next = entries.next {
                values["nextURL"] = "/ui/ledger?scope=\(scope.level.rawValue):\(scope.id)&fromDay=\(WebPage.dayString(from))"
                    + "&toDay=\(WebPage.dayString(to.addingTimeInterval(-1)))&after=\(next.description)"
                    + (decision.map { "&decision=" + $0.map(\.rawValue).sorted().joined(separator: ",") } ?? "")
            }
            return page.html("ledger", values)
        }
    }

    static func day(_ text: String) throws -> Date {
        guard let date = WebPage.dayStart(text) else {
            throw APIError.badRequest("a day must be written yyyy-MM-dd", code: "invalidParameter")
        }
        return date
    }

    /// The places a person may pick a ledger of: their scope and everything under it, down to checkpoints.
    static func scopeChoices(_ principal: Principal, tree: PlaceTree, page: WebPage) -> [(scope: PlaceScope, label: String)] {
        var choices: [(PlaceScope, String)] = []
        for street in tree.restricted(to: principal.scope).streets {
            let s = PlaceScope(level: .street, id: street.id)
            if tree.contains(principal.scope, s) { choices.append((s, street.name)) }
            for community in street.communities {
                let m = PlaceScope(level: .community, id: community.id)
                if tree.contains(principal.scope, m) { choices.append((m, "\(street.name) / \(community.name)")) }
                for checkpoint in community.checkpoints {
                    let c = PlaceScope(level: .checkpoint, id: checkpoint.id)
                    if tree.contains(principal.scope, c) { choices.append((c, "\(community.name) / \(checkpoint.name)")) }
                }
            }
        }
        return choices.map { (scope: $0.0, label: $0.1) }
    }

    /// `/ui/alerts`: the last day's alerts of the person's places, newest first, live (SSE) with acknowledgement.
    @Sendable func alerts(_ request: Request, context: CentralRequestContext) async throws -> Response {
        let principal = try context.require(.readAlerts)
        let page = WebPage(assets: assets, request: request)
        return try await adminCall {
            let tree = try await PlaceTree.load(store)
            let range = TimeRange(from: now().addingTimeInterval(-86_400), to: now().addingTimeInterval(3600))
            let found = try await store.alerts(AlertQuery(range: range, scope: principal.scope, limit: 1000)).alerts
            var lastID = found.last?.id ?? 0
            if found.isEmpty {
                // Start the live stream after every alert already raised (older ones are not "live").
                var after: Int64 = 0
                while let next = try await store.alerts(AlertQuery(after: after, scope: principal.scope, limit: 1000)).nextAfter { after = next }
                lastID = try await store.alerts(AlertQuery(after: after, scope: principal.scope, limit: 1000)).alerts.last?.id ?? after
            }
            var values = page.context("alerts", principal: principal, tree: tree)
            let canAcknowledge = principal.has(.acknowledgeAlerts)
            values["canAcknowledge"] = canAcknowledge
            values["lastID"] = lastID
            let kinds = Dictionary(uniqueKeysWithValues: AlertKind.allCases.map { ($0.rawValue, page.text[$0.rawValue] ?? $0.rawValue) })
            values["kindNamesJSON"] = String(decoding: try JSONSerialization.data(withJSONObject: kinds, options: [.sortedKeys]), as: UTF8.self)
            values["alerts"] = PayloadMask.alerts(found, for: principal).reversed().map { alert -> [String: Any] in
                var row: [String: Any] = ["id": alert.id, "time": WebPage.local(alert.occurredAt), "kind": alert.kind.rawValue,
                                          "kindName": page.text[alert.kind.rawValue] ?? alert.kind.rawValue, "gate": alert.gate,
                                          "payload": alert.credentialPayload ?? "",
                                          "celsius": alert.celsius.map { String(format: "%.1f °C", $0) } ?? "",
                                          "detail": alert.detail,
                                          "canAcknowledge": canAcknowledge]
                if let by = alert.acknowledgedBy { row["acknowledgedBy"] = by }
                if let at = alert.acknowledgedAt { row["acknowledgedAt"] = WebPage.local(at) }
                return row
            }
            return page.html("alerts", values)
        }
    }
}
