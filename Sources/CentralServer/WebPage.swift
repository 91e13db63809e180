import CentralStore
import Foundation
import HTTPTypes
import Hummingbird

/// What every page shares: its language, the signed-in principal, and turning a rendered template
/// into a response (HTML, never cached, framed by nobody).
struct WebPage {
    static let languageCookie = "cp_lang"
    /// The page's clock: China Standard Time (+08:00), the clerks' days and hours.
    static let utcOffsetSeconds = 8 * 3600

    let assets: WebAssets
    let language: UIText.Language
    /// Set when `?lang=` chose the language: the response remembers it in a cookie.
    let chosenLanguage: Bool

    init(assets: WebAssets, request: Request) {
        self.assets = assets
        if let requested = request.uri.queryParameters["lang"].flatMap({ UIText.Language(rawValue: String($0)) }) {
            language = requested
            chosenLanguage = true
        } else {
            language = request.cookies[Self.languageCookie].flatMap { UIText.Language(rawValue: $0.value) } ?? .zh
            chosenLanguage = false
        }
    }

    var text: [String: String] { UIText.table(language) }

    /// The context every template gets: `t`, `lang`, and for a principal `user`, names and `csrf`.
    func context(_ title: String, principal: Principal?, tree: PlaceTree? = nil) -> [String: Any] {
        var context: [String: Any] = ["t": text, "lang": language == .zh ? "zh-CN" : "en", "title": text[title] ?? title]
        if let principal {
            context["user"] = true
            context["displayName"] = principal.displayName
            context["roleName"] = text[principal.role.rawValue] ?? principal.role.rawValue
            context["csrf"] = principal.csrfToken ?? ""
            context["canWatchList"] = principal.has(.readWatchList)
            context["canPassages"] = principal.has(.lookupPassages)
            context["canDeliveries"] = principal.has(.readDeliveries)
            if let scope = principal.scope { context["scopeName"] = tree.map { name(of: scope, in: $0) } ?? scope.id }
        }
        return context
    }

    /// A place's name from the directory (its id if the directory has none).
    func name(of scope: PlaceScope, in tree: PlaceTree) -> String {
        for street in tree.directory.streets {
            if scope == PlaceScope(level: .street, id: street.id) { return street.name }
            for community in street.communities {
                if scope == PlaceScope(level: .community, id: community.id) { return community.name }
                for checkpoint in community.checkpoints {
                    if scope == PlaceScope(level: .checkpoint, id: checkpoint.id) { return checkpoint.name }
                    for gate in checkpoint.gates where scope == PlaceScope(level: .gate, id: gate.id) { return gate.name ?? gate.id }
                }
            }
        }
        return scope.id
    }

    func html(_ template: String, _ context: [String: Any], status: HTTPResponse.Status = .ok,
              extraHeaders: HTTPFields = [:]) -> Response {
        var headers: HTTPFields = [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                                   HTTPField.Name("X-Frame-Options")!: "DENY",
                                   HTTPField.Name("Content-Security-Policy")!: "default-src 'self'; frame-ancestors 'none'"]
        headers.append(contentsOf: extraHeaders)
        if chosenLanguage {
            headers.append(HTTPField(name: .setCookie, value: "\(Self.languageCookie)=\(language.rawValue); Path=/; Max-Age=31536000; SameSite=Lax"))
        }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: assets.render(template, context))))
    }

    /// `date` as the clerks read it: `yyyy-MM-dd HH:mm:ss` in +08:00.
    static func local(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: utcOffsetSeconds)
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: date)
    }

    /// The +08:00 day containing `date`, as a half-open range.
    static func day(containing date: Date) -> TimeRange {
        let seconds = Int(date.timeIntervalSince1970) + utcOffsetSeconds
        let start = TimeInterval(seconds - seconds % 86_400 - utcOffsetSeconds)
        return TimeRange(from: Date(timeIntervalSince1970: start), to: Date(timeIntervalSince1970: start + 86_400))
    }

    /// `yyyy-MM-dd` (+08:00) → the start of that day; nil if malformed.
    static func dayStart(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: utcOffsetSeconds)
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.date(from: text)
    }

    static func dayString(_ date: Date) -> String { String(local(date).prefix(10)) }
}
