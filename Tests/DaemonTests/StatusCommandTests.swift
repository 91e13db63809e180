import CheckpointCore
import Foundation
import TestSupport
import Testing

/// `checkpointctl status` against the real `checkpointd` (simulated thermometer and scanner from
/// checkpoint-sim on PTYs, the real central store over loopback).
@Suite("checkpointctl status", .serialized)
struct StatusCommandTests {
    struct Health: Decodable {
        struct Problem: Decodable { var severity: String; var text: String }
        var severity: String
        var problems: [Problem]
    }

    /// The real store, checkpoint-sim's thermometer and scanner, and checkpointd on them.
    final class RunningGate {
        let central: CentralLoopback
        let sim: LineProcess
        let socket: String
        let daemon: Process

        init(horn: Bool = true) async throws {
            central = try CentralLoopback()
            try await central.start()
            let (sim, north, scanner) = try CheckpointdGateTests.startSimulatedDevices(in: central.directory)
            self.sim = sim
            socket = central.directory.appendingPathComponent("control.sock").path
            let config = try CheckpointdGateTests.writeConfiguration(central: central, thermometer: north, scanner: scanner,
                                                                        horn: horn)
            daemon = try CheckpointdGateTests().startDaemon(config: config, socket: socket,
                                                            log: central.directory.appendingPathComponent("daemon.log"))
        }

        func stop() {
            if daemon.isRunning { kill(daemon.processIdentifier, SIGKILL); daemon.waitUntilExit() }
            sim.stop()
            central.cleanUp()
        }
    }

    func status(_ socket: String) throws -> (exit: Int32, health: Health?) {
        let (exit, out) = try runBuilt("checkpointctl", ["status", "--socket", socket, "--json"])
        return (exit, try? JSONDecoder().decode(Health.self, from: Data(out.utf8)))
    }

    @Test("A gate with its devices attached and the store answering is ok: exit 0, no problems")
    func healthyGateIsOK() async throws {
        let gate = try await RunningGate()
        defer { gate.stop() }
        let socket = gate.socket

        #expect(try await waitUntil(within: .seconds(20)) { try status(socket).exit == 0 })
        let healthy = try status(socket)
        #expect(healthy.health?.severity == "ok" && healthy.health?.problems.isEmpty == true)
        let (textExit, text) = try runBuilt("checkpointctl", ["status", "--socket", socket])
        #expect(textExit == 0 && text.hasPrefix("OK") && text.contains("thermo     north (lu90614) open"))
    }

    @Test("A gate without a [horn] section is ok: status reports no horn and does not call its absence a problem")
    func gateWithoutHornIsOK() async throws {
        let gate = try await RunningGate(horn: false)
        defer { gate.stop() }
        let socket = gate.socket

        #expect(try await waitUntil(within: .seconds(20)) { try status(socket).exit == 0 })
        let (textExit, text) = try runBuilt("checkpointctl", ["status", "--socket", socket])
        #expect(textExit == 0 && text.hasPrefix("OK") && !text.contains("horn"), "\(text)")
        let (queueExit, queue) = try runBuilt("checkpointctl", ["horn", "queue", "--socket", socket])
        #expect(queueExit == 0 && queue.contains("no [horn] configured"), "\(queue)")
    }

    @Test("A gate whose thermometer is unplugged is critical: exit 2, the problem names the thermometer")
    func unpluggedThermometerIsCritical() async throws {
        let gate = try await RunningGate()
        defer { gate.stop() }
        let (sim, socket) = (gate.sim, gate.socket)
        #expect(try await waitUntil(within: .seconds(20)) { try status(socket).exit == 0 })

        sim.stop()  // the simulator's PTYs close: the thermometer is gone
        #expect(try await waitUntil(within: .seconds(20)) { try status(socket).exit == 2 })
        let critical = try status(socket).health
        #expect(critical?.severity == "critical")
        #expect(critical?.problems.first?.severity == "critical" && critical?.problems.first?.text.contains("thermometer north") == true)
    }

    @Test("Without a daemon, checkpointctl status says so and exits 3")
    func noDaemonIsUnknown() throws {
        let dir = try TestEnvironment.temporaryDirectory("status-no-daemon")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (exit, text) = try runBuilt("checkpointctl", ["status", "--socket", dir.appendingPathComponent("none.sock").path])
        #expect(exit == 3 && text.hasPrefix("UNKNOWN"))
    }
}
