import CentralStore
import CheckpointCore
import Foundation
import HTTPTypes
import Hummingbird

/// The watch list on the page: search the current list; upload a five-colour list as CSV —
/// validated and previewed row by row, applied only when every row is valid (one watch-list
/// version, audited); remove one entry.
struct WatchListPageRoutes {
    let store: any CentralStorage
    let assets: WebAssets
    let now: @Sendable () -> Date
    var audit: AuditTrail { AuditTrail(store: store, now: now) }

    func register(on pages: RouterGroup<CentralRequestContext>) {
        pages.get("/ui/watchlist", use: show)
        pages.post("/ui/watchlist/preview", use: preview)
        pages.post("/ui/watchlist/apply", use: apply)
        pages.post("/ui/watchlist/remove", use: remove)
    }

    @Sendable func show(_ request: Request, context: CentralRequestContext) async throws -> Response {
        let principal = try context.require(.readWatchList)
        let message = request.uri.queryParameters["done"].map(String.init)
        return try await page(request, principal, upload: nil, message: message)
    }

    @Sendable func preview(_ request: Request, context: CentralRequestContext) async throws -> Response {
        let principal = try context.require(.changeWatchList)
        let form = try await Self.checkedForm(request, principal)
        return try await page(request, principal, upload: form["csv"] ?? "", message: nil)
    }

    @Sendable func apply(_ request: Request, context: CentralRequestContext) async throws -> Response {
        let principal = try context.require(.changeWatchList)
        let form = try await Self.checkedForm(request, principal)
        let csv = WatchListCSV(form["csv"] ?? "")
        guard csv.isValid else { return try await page(request, principal, upload: form["csv"] ?? "", message: nil) }
        let version = try await adminCall { try await store.upsertWatchList(csv.changes, at: now()) }
        try await audit.record(principal, .watchListChange, target: "watch list", detail: "CSV upload: \(csv.changes.count) upserts, version \(version)")
        return Response(status: .seeOther, headers: [.location: "/ui/watchlist?done=\(csv.changes.count)"])
    }

    @Sendable func remove(_ request: Request, context: CentralRequestContext) async throws -> Response {
        let principal = try context.require(.changeWatchList)
        let form = try await Self.checkedForm(request, principal)
        guard let credential = form["credential"], !credential.isEmpty else {
            throw APIError.badRequest("missing credential", code: "invalidInput")
        }
        _ = try await adminCall { try await store.removeFromWatchList([credential], at: now()) }
        try await audit.record(principal, .watchListChange, target: "watch list", detail: "1 removal")
        return Response(status: .seeOther, headers: [.location: "/ui/watchlist"])
    }

    /// The form's fields (up to 4 MiB: a district's list), after checking its CSRF token.
    static func checkedForm(_ request: Request, _ principal: Principal) async throws -> [String: String] {
        try await FormBody.read(request, checkedFor: principal, limit: 4 * 1024 * 1024)
    }

    func page(_ request: Request, _ principal: Principal, upload: String?, message: String?) async throws -> Response {
        let web = WebPage(assets: assets, request: request)
        let query = (request.uri.queryParameters["q"].map(String.init) ?? "").trimmingCharacters(in: .whitespaces)
        return try await adminCall {
            let list = try await store.watchListDelta(since: 0)
            var values = web.context("watchList", principal: principal)
            values["version"] = list.version
            values["canChange"] = principal.has(.changeWatchList)
            values["query"] = query
            if let message { values["message"] = "\(web.text["applied"] ?? "applied"): \(message)" }
            let shown = list.upserts.filter { query.isEmpty || $0.credential.contains(query) || $0.reason.contains(query) }
            values["entries"] = shown.prefix(500).map { entry -> [String: Any] in
                ["credential": entry.credential, "colour": web.text[entry.colour.rawValue] ?? entry.colour.rawValue,
                 "isolation": entry.isolation ? "✓" : "", "reason": entry.reason,
                 "validUntil": entry.validUntil.map(WebPage.local) ?? "", "canChange": principal.has(.changeWatchList),
                 "csrf": principal.csrfToken ?? ""]
            }
            if let upload {
                let csv = WatchListCSV(upload)
                values["csvText"] = upload
                var preview: [String: Any] = ["valid": csv.isValid, "count": csv.changes.count,
                                              "csrf": principal.csrfToken ?? "", "csvText": upload]
                if let fileError = csv.fileError { preview["fileError"] = fileError }
                preview["rows"] = csv.rows.map { row -> [String: Any] in
                    var cells: [String: Any] = ["line": row.line]
                    if let change = row.change {
                        cells["credential"] = change.credential
                        cells["colour"] = web.text[change.colour.rawValue] ?? change.colour.rawValue
                        cells["isolation"] = change.isolation ? "✓" : ""
                        cells["reason"] = change.reason
                        cells["validUntil"] = change.validUntil.map(WebPage.local) ?? ""
                    }
                    if let error = row.error { cells["error"] = error }
                    return cells
                }
                values["preview"] = preview
            }
            return web.html("watchlist", values)
        }
    }
}
