import CentralStore
import Foundation

/// The places as a lookup: for each place, the chain of places above it. Built from the store's
/// directory per request (a district's directory is a few hundred rows).
public struct PlaceTree: Sendable {
    /// place → its ancestors, nearest first (a gate: checkpoint, community, street).
    let ancestors: [PlaceScope: [PlaceScope]]
    public let directory: PlaceDirectory

    public init(_ directory: PlaceDirectory) {
        self.directory = directory
        var ancestors: [PlaceScope: [PlaceScope]] = [:]
        for street in directory.streets {
            let s = PlaceScope(level: .street, id: street.id)
            ancestors[s] = []
            for community in street.communities {
                let m = PlaceScope(level: .community, id: community.id)
                ancestors[m] = [s]
                for checkpoint in community.checkpoints {
                    let c = PlaceScope(level: .checkpoint, id: checkpoint.id)
                    ancestors[c] = [m, s]
                    for gate in checkpoint.gates { ancestors[PlaceScope(level: .gate, id: gate.id)] = [c, m, s] }
                }
            }
        }
        self.ancestors = ancestors
    }

    /// The store's current directory as a tree.
    public static func load(_ store: any CentralStorage) async throws -> PlaceTree {
        PlaceTree(try await store.places())
    }

    public func exists(_ place: PlaceScope) -> Bool { ancestors[place] != nil }

    /// True if `place` is `outer` or lies under it; `outer` nil = the whole district.
    public func contains(_ outer: PlaceScope?, _ place: PlaceScope) -> Bool {
        guard let outer else { return exists(place) }
        return outer == place || (ancestors[place]?.contains(outer) ?? false)
    }

    /// The directory cut down to the places under `scope` (with the chain above it, so the shape stays).
    public func restricted(to scope: PlaceScope?) -> PlaceDirectory {
        guard let scope else { return directory }
        func keep(_ place: PlaceScope) -> Bool { contains(scope, place) || (ancestors[scope]?.contains(place) ?? false) }
        return PlaceDirectory(streets: directory.streets.compactMap { street in
            guard keep(PlaceScope(level: .street, id: street.id)) else { return nil }
            var street = street
            street.communities = street.communities.compactMap { community in
                guard keep(PlaceScope(level: .community, id: community.id)) else { return nil }
                var community = community
                community.checkpoints = community.checkpoints.compactMap { checkpoint in
                    guard keep(PlaceScope(level: .checkpoint, id: checkpoint.id)) else { return nil }
                    var checkpoint = checkpoint
                    checkpoint.gates = checkpoint.gates.filter { keep(PlaceScope(level: .gate, id: $0.id)) }
                    return checkpoint
                }
                return community
            }
            return street
        })
    }

    /// The checkpoints under `scope` (id, name), sorted by id.
    public func checkpoints(under scope: PlaceScope?) -> [CheckpointPlace] {
        directory.streets.flatMap { $0.communities.flatMap(\.checkpoints) }
            .filter { contains(scope, PlaceScope(level: .checkpoint, id: $0.id)) }
    }
}
