import Foundation
import Hummingbird

/// An `application/x-www-form-urlencoded` body of a page form (16 KiB unless a form allows more).
enum FormBody {
    static let maxBytes = 16 * 1024

    /// The fields of `request`'s body, at most `limit` bytes (413 beyond).
    static func read(_ request: Request, limit: Int = maxBytes) async throws -> [String: String] {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch {
            throw APIError.tooLarge("form larger than \(limit) bytes")
        }
        return parse(String(buffer: buffer))
    }

    /// `a=1&b=x+y%21` → ["a": "1", "b": "x y!"]; later duplicates win.
    static func parse(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ part: Substring) -> String {
                String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            guard let key = parts.first else { continue }
            fields[decode(key)] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return fields
    }

    /// The fields of a page form posted by `principal`, after checking its `csrf` field against the
    /// session's token (403 `csrf` otherwise).
    static func read(_ request: Request, checkedFor principal: Principal, limit: Int = maxBytes) async throws -> [String: String] {
        let form = try await read(request, limit: limit)
        guard let csrf = principal.csrfToken, let presented = form["csrf"], SecretToken.constantTimeEquals(presented, csrf) else {
            throw APIError.forbidden("missing or wrong form token", code: "csrf")
        }
        return form
    }
}
