import AsyncHTTPClient
import CheckpointCore
import Foundation
import NIOCore
import TestSupport
import Testing

/// Gate profiles end to end (docs/fleet.md): the real `checkpointd` (simulated devices on PTYs,
/// checkpoint-sim) against the real `checkpoint-central` over loopback. Levels are set with the
/// store's admin API; the gate learns of them from heartbeat replies (every second here).
@Suite("checkpointd applies gate profiles from the central store", .serialized)
struct ProfileDaemonTests {
    /// The store's view of one gate's profile (`GET /v1/profiles/gates`).
    struct GateProfileRow: Decodable {
        var gate: String
        var currentVersion: Int64
        var report: ProfileReport?
    }

    struct Rig {
        let central: CentralLoopback
        let sim: LineProcess
        let config: String
        let socket: String
        var daemon: Process

        static func start() async throws -> Rig {
            let central = try CentralLoopback()
            try await central.start()
            let (sim, north, scanner) = try CheckpointdGateTests.startSimulatedDevices(in: central.directory)
            let config = try CheckpointdGateTests.writeConfiguration(central: central, thermometer: north, scanner: scanner)
            let socket = central.directory.appendingPathComponent("control.sock").path
            let rig = Rig(central: central, sim: sim, config: config, socket: socket,
                          daemon: try CheckpointdGateTests().startDaemon(config: config, socket: socket,
                                                                          log: central.directory.appendingPathComponent("daemon-1.log")))
            _ = await waitUntilBlocking(within: .seconds(10)) { (try? CheckpointdGateTests().journalStatus(socket)) != nil }
            return rig
        }

        func stop() {
            if daemon.isRunning { kill(daemon.processIdentifier, SIGKILL); daemon.waitUntilExit() }
            sim.stop()
            central.cleanUp()
        }

        var log: String { (try? String(contentsOf: central.directory.appendingPathComponent("daemon-1.log"), encoding: .utf8)) ?? "" }

        /// Sets a level; returns its version.
        func put(_ level: String, _ place: String, _ toml: String) async throws -> Int64 {
            let body = String(decoding: try JSONEncoder().encode(["toml": toml]), as: UTF8.self)
            let (status, reply) = try await central.admin(.PUT, "/v1/profiles/\(level)/\(place)", body: body)
            guard status == 200 else { throw CentralLoopback.Failure(description: "PUT profile: \(status) \(reply)") }
            struct Reply: Decodable { struct Level: Decodable { var version: Int64 }; var level: Level }
            return try JSONDecoder().decode(Reply.self, from: Data(reply.utf8)).level.version
        }

        func row() async throws -> GateProfileRow? {
            let (status, reply) = try await central.admin(.GET, "/v1/profiles/gates")
            guard status == 200 else { return nil }
            return try CheckpointJSON.decoder().decode([GateProfileRow].self, from: Data(reply.utf8)).first { $0.gate == central.gate }
        }

        /// A person at `celsius` scans `code`; returns the journaled entry with `seq`.
        func person(_ celsius: Double, _ code: String, seq: Int64) async throws -> EntryRecord? {
            _ = sim.send("north set \(celsius)")
            let socket = socket
            _ = await waitUntilBlocking(within: .seconds(5)) {
                struct Status: Decodable { struct Reading: Decodable { var celsius: Double }; var lastReading: Reading? }
                guard let text = try? CheckpointdGateTests().ctl(["thermometers", "--socket", socket, "--json"]).1,
                      let statuses = try? JSONDecoder().decode([Status].self, from: Data(text.utf8)) else { return false }
                return statuses.contains { abs(($0.lastReading?.celsius ?? 0) - celsius) < 0.05 }
            }
            _ = sim.send("scanner scan \(code)")
            let ok = await waitUntilBlocking(within: .seconds(10)) { ((try? CheckpointdGateTests().journalStatus(socket))??.state.lastSeq ?? 0) >= seq }
            _ = sim.send("north set 22.0")
            guard ok else { return nil }
            return try CheckpointdGateTests().journalStatus(socket)?.latest.first { $0.seq == seq }
        }
    }

    @Test("a gate applies a new profile version without a restart, its devices and control socket staying open")
    func appliesLive() async throws {
        let rig = try await Rig.start()
        defer { rig.stop() }
        let pid = rig.daemon.processIdentifier
        _ = try await rig.put("street", "s1", "[policy]\nfeverThresholdCelsius = 37.5")
        let version = try await rig.put("community", "c1", "[policy]\nfeverThresholdCelsius = 38.0\nlabel = \"district-2026\"")
        #expect(await waitUntilAsync(within: .seconds(15)) { try await rig.row()?.report?.appliedVersion == version },
                "the store's gate list shows the version applied")
        let entry = try #require(try await rig.person(37.6, "https://hc.example/a", seq: 1))
        #expect(entry.decision == .admit && entry.reason == .admitted, "37.6 °C is below the profile's 38.0 °C threshold")
        #expect(rig.daemon.isRunning && rig.daemon.processIdentifier == pid, "no restart")
        #expect(rig.log.contains("configuration reloaded from \(rig.config) with profile v\(version)"))
        #expect(!rig.log.contains("closed ["), "no device was closed and reopened")
        let (status, text) = try CheckpointdGateTests().ctl(["status", "--socket", rig.socket])
        #expect(text.contains("profile    v\(version) applied"), "checkpointctl status (exit \(status)) shows the applied version")
    }

    @Test("a profile that fails validation is refused whole, reported at the store's gate list, the last good one staying")
    func badProfileRefused() async throws {
        let rig = try await Rig.start()
        defer { rig.stop() }
        let good = try await rig.put("street", "s1", "[policy]\nfeverThresholdCelsius = 38.0")
        #expect(await waitUntilAsync(within: .seconds(15)) { try await rig.row()?.report?.appliedVersion == good })
        let bad = try await rig.put("checkpoint", "cp1", "[policy]\nfeverThresholdCelsius = 50.0\n[horn]\ntimeZone = \"UTC\"")
        #expect(await waitUntilAsync(within: .seconds(15)) { try await rig.row()?.report?.refusedVersion == bad })
        let row = try #require(try await rig.row())
        #expect(row.currentVersion == bad && row.report?.appliedVersion == good)
        #expect(row.report?.refusal?.contains("profile v\(bad)") == true && row.report?.refusal?.contains("policy.feverThresholdCelsius") == true,
                "the refusal names the profile's version and key: \(row.report?.refusal ?? "")")
        let entry = try #require(try await rig.person(37.6, "https://hc.example/a", seq: 1))
        #expect(entry.decision == .admit, "the last good profile (38.0 °C) stays in force")
    }

    @Test("a profile naming a clip the store lacks is refused as a whole, nothing of it applied")
    func missingClipRefused() async throws {
        let rig = try await Rig.start()
        defer { rig.stop() }
        let hash = String(repeating: "0f", count: 32)
        let version = try await rig.put("street", "s1", """
            [policy]
            feverThresholdCelsius = 38.0
            [horn.announcements.welcome]
            clip = "sha256:\(hash)"
            """)
        #expect(await waitUntilAsync(within: .seconds(15)) { try await rig.row()?.report?.refusedVersion == version })
        let row = try #require(try await rig.row())
        #expect(row.report?.appliedVersion == 0 && row.report?.refusal?.contains("sha256:\(hash) is missing at the store") == true)
        let entry = try #require(try await rig.person(37.6, "https://hc.example/a", seq: 1))
        #expect(entry.reason == .fever, "the threshold of the refused version (38.0 °C) was not applied: 37.6 °C is a fever at 37.3 °C")
    }

    @Test("an uploaded WAV clip is fetched once into the gate's cache by its hash and the profile naming it applied")
    func clipCached() async throws {
        let rig = try await Rig.start()
        defer { rig.stop() }
        var wav = Data("RIFF".utf8) + Data([36, 0, 0, 0]) + Data("WAVEfmt ".utf8)
        wav += Data([16, 0, 0, 0, 1, 0, 1, 0, 0x40, 0x1f, 0, 0, 0x80, 0x3e, 0, 0, 2, 0, 16, 0]) + Data("data".utf8) + Data([0, 0, 0, 0])
        var request = HTTPClientRequest(url: rig.central.url + "/v1/clips")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(rig.central.adminToken)")
        request.headers.add(name: "Content-Type", value: "audio/wav")
        request.body = .bytes(ByteBuffer(bytes: wav))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
        struct Clip: Decodable { var sha256: String; var reference: String }
        let clip = try JSONDecoder().decode(Clip.self, from: Data(String(buffer: try await response.body.collect(upTo: 1 << 16)).utf8))
        #expect(response.status.code == 201)
        let version = try await rig.put("street", "s1", "[horn.announcements.welcome]\nclip = \"\(clip.reference)\"")
        let applied = await waitUntilAsync(within: .seconds(15)) { try await rig.row()?.report?.appliedVersion == version }
        let refusal = (try? await rig.row()?.report?.refusal) ?? nil
        #expect(applied, "refusal: \(refusal ?? "none")")
        let cached = rig.central.directory.appendingPathComponent("clips/\(clip.sha256).wav").path
        #expect(FileManager.default.contents(atPath: cached) == wav)
    }

    @Test("after a restart with the store unreachable the gate runs the last applied profile version")
    func offlineRestartKeepsProfile() async throws {
        var rig = try await Rig.start()
        defer { rig.stop() }
        let version = try await rig.put("street", "s1", "[policy]\nfeverThresholdCelsius = 38.0")
        #expect(await waitUntilAsync(within: .seconds(15)) { try await rig.row()?.report?.appliedVersion == version })
        rig.central.kill9()
        kill(rig.daemon.processIdentifier, SIGKILL)
        rig.daemon.waitUntilExit()
        rig.daemon = try CheckpointdGateTests().startDaemon(config: rig.config, socket: rig.socket,
                                                           log: rig.central.directory.appendingPathComponent("daemon-2.log"))
        let socket = rig.socket
        #expect(await waitUntilBlocking(within: .seconds(10)) {
            (try? CheckpointdGateTests().ctl(["status", "--socket", socket]).1.contains("profile    v\(version) applied")) == true
        })
        let entry = try #require(try await rig.person(37.6, "https://hc.example/a", seq: 1))
        #expect(entry.decision == .admit, "the stored profile's 38.0 °C threshold is in force offline")
    }
}
