import CheckpointCore
import Foundation

/// The router's routes (method and path pattern), filled once the router is built, so that a request
/// for a known path with an undeclared method can be answered 405 with `Allow` instead of 404.
public final class RouteTable: Sendable {
    private let routes = Mutex<[(method: String, pattern: [Substring])]>([])

    public init() {}

    func set(_ routes: [(method: String, pattern: String)]) {
        self.routes.withLock { $0 = routes.map { ($0.method, $0.pattern.split(separator: "/")) } }
    }

    /// The methods served for `path` (sorted); empty if no route's pattern matches it.
    public func methods(for path: String) -> [String] {
        let segments = path.split(separator: "/")
        return routes.withLock { routes in
            Set(routes.filter { route in
                route.pattern.count == segments.count
                    && zip(route.pattern, segments).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
            }.map(\.method)).sorted()
        }
    }
}
