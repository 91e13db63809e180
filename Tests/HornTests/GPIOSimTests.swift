import CheckpointCore
import DeviceIO
import Foundation
import Testing

/// The real kernel path, for the QEMU test tier: a gpio-sim chip whose line
/// values the test reads back through sysfs. Enabled only where the tier's script exports
/// CHECKPOINT_TEST_GPIOSIM_CHIP (e.g. `gpiochip1`) and CHECKPOINT_TEST_GPIOSIM_SYSFS (the chip's
/// sysfs folder holding `sim_gpio0/value`, e.g. /sys/devices/platform/gpio-sim.0/gpiochip1).
@Suite("GPIO output lines on a gpio-sim chip (QEMU tier)",
       .enabled(if: ProcessInfo.processInfo.environment["CHECKPOINT_TEST_GPIOSIM_CHIP"] != nil))
struct GPIOSimTests {
    let chip = ProcessInfo.processInfo.environment["CHECKPOINT_TEST_GPIOSIM_CHIP"] ?? ""
    let sysfs = ProcessInfo.processInfo.environment["CHECKPOINT_TEST_GPIOSIM_SYSFS"] ?? ""

    func physical(_ offset: Int) throws -> String {
        try String(contentsOfFile: "\(sysfs)/sim_gpio\(offset)/value", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("An active-low line is requested high (inactive), goes low when active, and a pull-up keeps it inactive after release")
    func activeLow() throws {
        // The wiring the safe state relies on: a pull resistor to the inactive level.
        try "pull-up".write(toFile: "\(sysfs)/sim_gpio0/pull", atomically: false, encoding: .utf8)
        var line: GPIODOutputLine? = try GPIODOutputLine(chip: chip, offset: 0, activeLow: true, consumer: "checkpoint-test")
        #expect(try physical(0) == "1")
        try line?.drive(.active)
        #expect(try physical(0) == "0")
        #expect(line?.level == .active)
        line = nil
        #expect(try physical(0) == "1")
    }

    @Test("An active-high line is requested low (inactive) and goes high when active")
    func activeHigh() throws {
        let line = try GPIODOutputLine(chip: chip, offset: 1, activeLow: false, consumer: "checkpoint-test")
        #expect(try physical(1) == "0")
        try line.drive(.active)
        #expect(try physical(1) == "1")
        try line.drive(.inactive)
        #expect(try physical(1) == "0")
    }
}
