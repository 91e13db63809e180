/// The simulator of the ID reader family. Option: `card=resident|visitor|expired` (a card on the
/// reader from the start).
public enum IDReaderSimulators {
    public static let all: [SimulatorFamily] = [
        SimulatorFamily(family: "sam-id", role: .idReader, optionKeys: ["card"]) { _, options throws(SimulatorCommandError) in
            var sim = IDReaderSimulator()
            if let name = options["card"] { try sim.present(name) }
            return sim
        },
    ]
}
