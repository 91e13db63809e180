import ArgumentParser
import Control
import Foundation

/// `checkpointctl config validate`: checks the configuration and the catalog exactly as the daemon
/// does at start (it runs `checkpointd --check` from the same folder as this program), so there is
/// one validator. Exit status 0 = valid, 78 (EX_CONFIG) = an error naming file, line and key.
///
/// `checkpointctl config reload`: asks the running daemon to read its configuration file and the
/// catalog again (`config.reload`, the same as `systemctl reload checkpointd`); prints what changed.
/// Exit status 0 = applied, 78 = refused (the error names file, line and key; the running
/// configuration stays), 1 = no daemon or not allowed.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Validate the configuration and the device catalog, or make the running daemon reload them.",
        subcommands: [Validate.self, Reload.self])

    struct Reload: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make the running checkpointd read its configuration and catalog again (exit 78 if it refuses the file).")

        @Option(help: "The daemon's control socket.")
        var socket = ControlProtocol.defaultSocketPath

        func run() throws {
            let client: ControlClient
            do { client = try ControlClient(path: socket) } catch {
                throw ValidationError("checkpointd is not reachable at \(socket): \(error)")
            }
            let response = try client.send(ControlRequest(.configReload))
            guard response.ok else {
                let error = response.error ?? "config.reload failed"
                FileHandle.standardError.write(Data("checkpointctl: \(error)\n".utf8))
                throw ExitCode(error.hasPrefix(ControlProtocol.reloadRefusedPrefix) ? 78 : 1)
            }
            print(response.output)
        }
    }

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
