import ArgumentParser

/// The technician's command-line tool. While `checkpointd` runs, device commands go through its
/// control socket (the daemon owns the devices); otherwise they open the device themselves.
/// One file per subcommand; each module's owner adds its command to `subcommands`.
@main
struct CheckpointCtl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpointctl",
        abstract: "Inspect and configure a checkpoint gate: devices, scanners, horn, journal, uplink.",
        subcommands: [
            StatusCommand.self,
            DevicesCommand.self,
            ProbeCommand.self,
            ThermometersCommand.self,
            IDReadersCommand.self,
            ScannerCommand.self,
            HornCommand.self,
            JournalCommand.self,
            ClockCommand.self,
            UplinkCommand.self,
            ConfigCommand.self,
            GateCommand.self,
            LinesCommand.self,
        ]
    )
}
