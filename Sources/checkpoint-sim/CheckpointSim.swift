import ArgumentParser

/// Simulated devices behind pseudo-terminals, speaking the real protocols, with faults on demand.
/// One file per subcommand; scanner simulators plug into `run` through `SimulatorRegistry`.
@main
struct CheckpointSim: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpoint-sim",
        abstract: "Simulated thermometers and scanners on pseudo-terminals, with faults on demand; a gate journal with a backlog (see docs/simulator.md).",
        subcommands: [RunCommand.self, ModelsCommand.self, BacklogCommand.self],
        defaultSubcommand: RunCommand.self
    )
}
