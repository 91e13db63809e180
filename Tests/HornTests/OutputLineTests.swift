import CheckpointCore
import CheckpointConfig
import DeviceIO
import Testing

@Suite("GPIO output lines")
struct OutputLineTests {
    @Test("Opening a libgpiod line on a chip that does not exist fails with an error naming the chip")
    func missingChip() {
        do {
            _ = try GPIODOutputLine(chip: "gpiochip-checkpoint-absent", offset: 3, activeLow: false, consumer: "test")
            Issue.record("opened a line on a chip that does not exist")
        } catch let error as OutputLineError {
            #expect(error.description.contains("gpiochip-checkpoint-absent"))
            #expect(error.line == "gpiochip-checkpoint-absent:3")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test("Opening a libgpiod line by a name no chip has fails with an error naming the line")
    func missingName() {
        #expect(throws: OutputLineError.self) { try GPIODOutputLine(named: "CHECKPOINT_NO_SUCH_LINE", activeLow: true, consumer: "test") }
    }

    @Test("A simulated line starts inactive and records each edge once at the injected clock's time")
    func simulatedEdges() throws {
        let clock = VirtualClock()
        let line = SimulatedOutputLine(name: "relay", now: clock.reader)
        #expect(line.level == .inactive)
        clock.set(.milliseconds(10))
        try line.drive(.active)
        clock.set(.milliseconds(20))
        try line.drive(.active)
        clock.set(.milliseconds(510))
        try line.drive(.inactive)
        #expect(line.edges == [LineEdge(at: .milliseconds(10), level: .active), LineEdge(at: .milliseconds(510), level: .inactive)])
        line.failNextDrive()
        #expect(throws: OutputLineError.self) { try line.drive(.active) }
        #expect(line.level == .inactive)
    }

    @Test("The factory opens a simulated line from a configuration spec and reports a missing chip for a real one")
    func factory() throws {
        let line = try OutputLineFactory.open(OutputLineSpec(address: .simulated("amp")), consumer: "test")
        #expect(line is SimulatedOutputLine)
        #expect(line.name == "amp")
        #expect(throws: OutputLineError.self) {
            try OutputLineFactory.open(OutputLineSpec(address: .chipOffset(chip: "/dev/gpiochip-absent", offset: 1), activeLow: true, source: "horn.amplifier"), consumer: "test")
        }
    }
}
