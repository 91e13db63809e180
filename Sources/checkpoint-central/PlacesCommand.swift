import ArgumentParser
import CentralServer
import CentralStore
import CheckpointCore
import Foundation

/// `checkpoint-central places import FILE`: load street offices, communities, checkpoints, gates.
struct PlacesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "places", abstract: "Import places (street → community → checkpoint → gate).",
        subcommands: [Import.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Insert or update every place in a JSON file (the body of POST /v1/places).")
        @OptionGroup var store: StoreOptions
        @OptionGroup var log: LogOptions
        @Argument(help: "A JSON file: {\"streets\": [{\"id\", \"name\", \"communities\": [...]}]}.") var file: String

        func run() async throws {
            let data: Data
            do { data = try Data(contentsOf: URL(fileURLWithPath: file)) } catch {
                throw CommandFailure("\(file): cannot read: \(error.localizedDescription)")
            }
            let directory: PlaceDirectory
            do { directory = try RequestBodyReader.decode(PlaceDirectory.self, from: data) } catch let error as APIError {
                throw CommandFailure("\(file): \(error.message)")
            }
            let logger = try log.bootstrap()
            let places = try await store.withStore(logger: logger) { storage in
                try await storage.upsertPlaces(directory)
                return try await storage.places()
            }
            let communities = places.streets.flatMap(\.communities)
            let checkpoints = communities.flatMap(\.checkpoints)
            print("imported \(file): now \(places.streets.count) street offices, \(communities.count) communities, "
                  + "\(checkpoints.count) checkpoints, \(checkpoints.flatMap(\.gates).count) gates")
        }
    }
}
