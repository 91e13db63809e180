import CheckpointCore
import DeviceCatalog
import DeviceIO
import DeviceRuntime
import DeviceSimulators
import Foundation
import TestSupport
import Testing
import Thermometers

@Suite("Every family end to end over a real PTY against checkpoint-sim's simulators", .serialized)
struct EndToEndPTYTests {
    @Test("The simulator's temperature arrives as a scaled reading of the model's kind, through SerialPort and EventLoop",
          arguments: ["lu90614", "gy-mcu90614", "mcu-90615", "gd60914", "xy-md02", "rs485-temp-hr0", "ascii-body-line"])
    func familyEndToEnd(modelID: String) async throws {
        let model = try #require(try shippedCatalog().model(modelID))
        let scaling = try #require(model.temperature)
        let celsius = scaling.kind == .ambient ? -7.3 : 37.3
        let rig = try PTYRig(model: model, simulatorOptions: ["celsius": "\(celsius)"] .merging(modelID == "ascii-body-line" ? ["period": "40"] : [:]) { a, _ in a },
                             unitOffset: 0.25)
        defer { rig.shutdown() }
        #expect(await waitUntil { !rig.log.readings.isEmpty }, "no reading from \(modelID): \(rig.log.events)")
        let reading = try #require(rig.log.readings.first)
        #expect(abs(reading.celsius - (celsius + 0.25)) <= abs(scaling.scale) / 2 + 1e-9)
        #expect(reading.kind == scaling.kind)
        #expect(abs(reading.raw * scaling.scale + scaling.offset - celsius) <= abs(scaling.scale) / 2 + 1e-9)
        // A reply the simulator sends after its request timed out (a loaded machine) is `stale`,
        // never a reading, by contract; any other rejection is a framing or scaling fault.
        #expect(rig.log.rejections.filter { $0.reason != .stale }.isEmpty, "\(rig.log.rejections)")
    }

    @Test("Garbage, a bad checksum and a truncated frame from the device are counted with reasons, and readings go on")
    func faultsCounted() async throws {
        let model = try #require(try shippedCatalog().model("lu90614"))
        // Each fault is armed for the simulator's next reply, and a reply that comes after its
        // request's timeout is `stale` by contract, whatever it holds: the timeout (2 s) is long
        // enough that a loaded machine still answers inside it, so the armed fault is what is counted.
        let rig = try PTYRig(model: model, polling: PollingParameters(pollMs: 60, timeoutMs: 2_000, retries: 1))
        defer { rig.shutdown() }
        #expect(await waitUntil { rig.log.readings.count >= 1 })
        rig.simulator.arm(.garbage, count: 1)
        #expect(await waitUntil { rig.runner.session.statistics.rejections[.garbage] ?? 0 >= 1 })
        rig.simulator.arm(.badChecksum, count: 1)
        #expect(await waitUntil { rig.runner.session.statistics.rejections[.badChecksum] ?? 0 >= 1 })
        rig.simulator.arm(.truncate, count: 1)
        // A cut-off frame is `truncated` when the reply timeout ends it, `interrupted` when the next
        // bytes arrive after the inter-byte gap first: which comes first depends on the machine's load.
        #expect(await waitUntil {
            let r = rig.runner.session.statistics.rejections
            return (r[.truncated] ?? 0) + (r[.interrupted] ?? 0) >= 1
        })
        let before = rig.log.readings.count
        #expect(await waitUntil { rig.log.readings.count >= before + 2 }, "readings continue after the faults")
        let stats = rig.runner.session.statistics
        #expect(stats.garbageBytes >= 3)
        #expect(rig.simulator.faultsApplied[.garbage] == 1)
        #expect(rig.log.readings.allSatisfy { abs($0.celsius - 36.6) < 0.006 })
    }

    @Test("Silence is retried and then counted as unanswered; the device answering again gives readings again")
    func silenceCounted() async throws {
        let model = try #require(try shippedCatalog().model("gd60914"))
        let rig = try PTYRig(model: model, polling: PollingParameters(pollMs: 60, timeoutMs: 50, retries: 1))
        defer { rig.shutdown() }
        #expect(await waitUntil { rig.log.readings.count >= 1 })
        rig.simulator.arm(.silence, count: 2)
        #expect(await waitUntil { rig.runner.session.statistics.unanswered >= 1 })
        // The counter moves before the event reaches the log: wait for the event itself.
        #expect(await waitUntil { rig.log.events.contains(.timedOut(attempt: 1, willRetry: false)) })
        #expect(rig.log.events.contains(.timedOut(attempt: 0, willRetry: true)))
        let before = rig.log.readings.count
        #expect(await waitUntil { rig.log.readings.count > before })
    }

    @Test("Unplugging the simulated device is survived: the port reopens on the same symlink, the session counts it and reads again")
    func unplugReplug() async throws {
        let model = try #require(try shippedCatalog().model("xy-md02"))
        let rig = try PTYRig(model: model, polling: PollingParameters(pollMs: 50, timeoutMs: 60, retries: 0))
        defer { rig.shutdown() }
        #expect(await waitUntil { rig.log.readings.count >= 1 })
        rig.simulator.unplug(for: .milliseconds(300))
        #expect(await waitUntil { rig.runner.session.statistics.disconnects == 1 })
        #expect(await waitUntil { rig.runner.session.statistics.reconnects == 1 })
        rig.simulator.update { behavior in
            if var modbus = behavior as? ModbusSlaveSimulator {
                modbus.temperature.celsius = 30.1
                behavior = modbus
            }
        }
        #expect(await waitUntil { rig.log.readings.last.map { abs($0.celsius - 30.1) < 0.06 } ?? false })
        #expect(rig.runner.port.counters.reopens >= 1)
    }

    @Test("A Modbus exception from the device is a counted rejection naming the exception")
    func modbusException() async throws {
        let model = try #require(try shippedCatalog().model("rs485-temp-hr0"))
        let rig = try PTYRig(model: model, polling: PollingParameters(pollMs: 50, timeoutMs: 60, retries: 0))
        defer { rig.shutdown() }
        _ = try rig.simulator.command(["exception", "4"])
        #expect(await waitUntil { rig.runner.session.statistics.rejections[.exception] ?? 0 >= 1 })
        // The counter is updated before the event reaches the log's handler: wait for the event itself.
        #expect(await waitUntil { rig.log.rejections.contains { $0.detail.contains("server device failure") } })
        _ = try rig.simulator.command(["exception", "0"])
        #expect(await waitUntil { !rig.log.readings.isEmpty })
    }
}
