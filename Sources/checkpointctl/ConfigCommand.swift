import ArgumentParser
import Foundation

/// `checkpointctl config validate`: checks the configuration and the catalog exactly as the daemon
/// does at start (it runs `checkpointd --check` from the same folder as this program), so there is
/// one validator. Exit status 0 = valid, 78 (EX_CONFIG) = an error naming file, line and key.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Validate the configuration and the device catalog.",
        subcommands: [Validate.self])

    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the configuration and the catalog as checkpointd would at start (exit 78 on an error).")

        @Option(help: "The gate configuration.")
        var config = "/etc/checkpoint/checkpoint.toml"

        func run() throws {
            let here = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
            let daemon = [here.appendingPathComponent("checkpointd").path, "/usr/bin/checkpointd", "/usr/sbin/checkpointd"]
                .first { FileManager.default.isExecutableFile(atPath: $0) }
            guard let daemon else { throw ValidationError("checkpointd not found next to checkpointctl or in /usr/bin") }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: daemon)
            process.arguments = ["--config", config, "--check"]
            try process.run()
            process.waitUntilExit()
            if process.terminationStatus != 0 { throw ExitCode(process.terminationStatus) }
        }
    }
}
