import Foundation
import Hummingbird

/// JSON or CSV, for routes that can export: `?format=csv|json` wins, else an `Accept` header
/// naming `text/csv` (and not preferring JSON first) asks for CSV, else JSON.
enum ResponseFormat: String {
    case json, csv

    static func negotiate(_ request: Request, query: QueryParameters) throws -> ResponseFormat {
        if let requested = query.string("format") {
            guard let format = ResponseFormat(rawValue: requested.lowercased()) else {
                throw APIError.badRequest("query parameter `format` must be json or csv", code: "invalidParameter")
            }
            return format
        }
        guard let accept = request.headers[.accept]?.lowercased() else { return .json }
        let csv = accept.range(of: "text/csv")
        let json = accept.range(of: "application/json")
        switch (csv, json) {
        case (let c?, let j?): return c.lowerBound < j.lowerBound ? .csv : .json
        case (.some, nil): return .csv
        default: return .json
        }
    }

}
