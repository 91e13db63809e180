import DeviceRuntime
import Foundation
import TestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("checkpointd and checkpointctl probe against checkpoint-sim", .serialized)
struct DaemonEndToEndTests {
    @Test("checkpointctl probe reads checkpointd's calibrated thermometers through its socket, and by itself when it is gone")
    func daemonAndProbe() async throws {
        let dir = try TestEnvironment.temporaryDirectory("daemon")
        defer { try? FileManager.default.removeItem(at: dir) }
        let sim = try SimulatorProcess(arguments: ["--dir", dir.path, "--device", "lu90614:celsius=37.4,name=north", "--device", "xy-md02:celsius=18.5,name=air"])
        defer { sim.stop() }
        let north = try #require(sim.links["north"])
        let air = try #require(sim.links["air"])
        let socket = dir.appendingPathComponent("control.sock").path
        let config = dir.appendingPathComponent("gate.toml").path
        try """
        gate = "test-gate"
        catalog = "\(shippedCatalogPath)"

        [[device]]
        id = "north"
        model = "lu90614"
        path = "\(north)"

        [[device]]
        id = "air"
        model = "xy-md02"
        path = "\(air)"

        [calibration]
        north = -0.3
        """.write(toFile: config, atomically: true, encoding: .utf8)

        let (checkStatus, checkOut, _) = try runExecutable("checkpointd", ["--config", config, "--check"])
        #expect(checkStatus == 0)
        #expect(checkOut.contains("2 device(s)"))

        let daemon = Process()
        daemon.executableURL = URL(fileURLWithPath: BuildProducts.executable("checkpointd"))
        daemon.arguments = ["--config", config, "--control-socket", socket, "--log-level", "debug"]  // readings log at debug
        // A file, not a pipe: nobody reads the log until the end, and a full pipe would stall the daemon.
        let logURL = dir.appendingPathComponent("checkpointd.log")
        FileManager.default.createFile(atPath: logURL.path, contents: nil)
        daemon.standardError = try FileHandle(forWritingTo: logURL)
        try daemon.run()
        #expect(await waitUntil { FileManager.default.fileExists(atPath: socket) })
        // The socket listens before the thermometers are attached: wait for the attachment itself.
        #expect(await waitUntil(within: .seconds(10)) {
            (try? runExecutable("checkpointctl", ["thermometers", "--socket", socket]))?.1.contains("lu90614") == true
        })

        let (status, out, err) = try runExecutable("checkpointctl", ["probe", "north", "--socket", socket, "--json"])
        #expect(status == 0, "\(err)")
        let result = try JSONDecoder().decode(ThermometerProbeResult.self, from: Data(out.utf8))
        #expect(result.device == "north")
        #expect(result.model == "lu90614")
        #expect(abs(result.reading.celsius - 37.1) < 1e-9, "37.4 from the sensor − 0.3 unit offset")
        #expect(result.reading.kind == .body)

        let (_, airOut, _) = try runExecutable("checkpointctl", ["probe", air, "--socket", socket])
        #expect(airOut.contains("18.50 °C ambient (raw 185) from xy-md02"))

        let (thermoStatus, thermoOut, thermoErr) = try runExecutable("checkpointctl", ["thermometers", "--socket", socket])
        #expect(thermoStatus == 0, "\(thermoErr)")
        #expect(thermoOut.contains("north") && thermoOut.contains("lu90614"), "checkpointctl thermometers lists the attached ones: \(thermoOut)")

        daemon.terminate()
        daemon.waitUntilExit()
        #expect(daemon.terminationStatus == 0)
        let log = (try? String(contentsOf: logURL, encoding: .utf8)) ?? ""
        #expect(log.contains("attached thermometer north"))
        #expect(log.contains("37.10 °C body"))

        // The daemon is gone: probe opens the device itself, using the configuration's id and calibration.
        let (localStatus, localOut, localErr) = try runExecutable("checkpointctl", ["probe", "north", "--socket", socket, "--config", config])
        #expect(localStatus == 0, "\(localErr)")
        #expect(localOut.hasPrefix("37.10 °C body (raw 3740) from lu90614"))
    }

    @Test("A configuration naming an unknown model is refused with file, line and key")
    func badConfiguration() throws {
        let dir = try TestEnvironment.temporaryDirectory("daemon-bad")
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = dir.appendingPathComponent("gate.toml").path
        try "gate = \"g\"\ncatalog = \"\(shippedCatalogPath)\"\n\n[[device]]\nid = \"t\"\nmodel = \"lu9061\"\npath = \"/dev/ttyUSB0\"\n"
            .write(toFile: config, atomically: true, encoding: .utf8)
        let (status, _, err) = try runExecutable("checkpointd", ["--config", config, "--check"])
        #expect(status == 78)
        #expect(err.contains("\(config):6: device[0].model: no model \"lu9061\""))
    }
}
