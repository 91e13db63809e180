import ArgumentParser

/// `checkpoint-central`: the central store server and its administration commands.
@main
struct CheckpointCentral: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpoint-central",
        abstract: "The central store: ingests every gate's records, keeps the ledgers, exports.",
        discussion: """
            The database is named by --db or the environment variable CHECKPOINT_CENTRAL_DB:
              sqlite:/var/lib/checkpoint-central/central.sqlite
              postgres://USER@HOST:5432/DATABASE[?schema=NAME]
            Put a PostgreSQL password in the environment (systemd EnvironmentFile=), never in argv.
            See docs/central-api.md.
            """,
        subcommands: [ServeCommand.self, GateCommand.self, PlacesCommand.self, AdminTokenCommand.self, AccountCommand.self])
}
