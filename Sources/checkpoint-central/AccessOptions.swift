import ArgumentParser
import CentralStore
import Foundation

/// `--role` and `--scope LEVEL:ID` of the account and token commands.
enum AccessOptions {
    static func parse(role text: String, scope: String?) throws -> (Role, PlaceScope?) {
        guard let role = Role(rawValue: text) else {
            throw ValidationError("--role must be one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let scope else { return (role, nil) }
        let parts = scope.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, let level = PlaceLevel(rawValue: parts[0]) else {
            throw ValidationError("--scope must be LEVEL:ID with LEVEL street, community or checkpoint")
        }
        return (role, PlaceScope(level: level, id: parts[1]))
    }
}
