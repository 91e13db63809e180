import ArgumentParser
import CheckpointConfig
import CheckpointCore
import DeviceIO
import Foundation
import Horn
import HornConfig

/// `checkpointctl lines safe`: drives every configured output line (horn amplifier and relay, lane
/// relays and indicators) to its inactive level. Run by `ExecStopPost=` after any daemon exit.
struct LinesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "lines", abstract: "Drive GPIO output lines to their safe state.",
                                                    subcommands: [Safe.self])

    struct Safe: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Drive every configured output line inactive and release it.")

        @Option(help: "The gate's configuration file.")
        var config = "/etc/checkpoint/checkpoint.toml"

        func run() async throws {
            let root = try ConfigDocument(contentsOf: config).root
            let horn = try HornConfiguration.parse(root)
            let lanes = try LaneConfiguration.parseAll(root)
            let specs = [horn.amplifier, horn.externalHornRelay].compactMap { $0 }
                + lanes.flatMap { [$0.relay, $0.greenIndicator, $0.redIndicator].compactMap { $0 } }
            let results = OutputLineSafeState.driveInactive(specs)
            for r in results {
                print(r.error.map { "FAILED \(r.spec.source): \($0)" } ?? "inactive \(r.spec.source)")
            }
            if results.contains(where: { $0.error != nil }) { throw ExitCode.failure }
        }
    }
}
