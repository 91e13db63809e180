import CheckpointCore
import Foundation
import Journal
import TestSupport
import Testing

/// `checkpointctl gate manual` / `gate status` / `config validate` against the real `checkpointd`
/// (a lane whose scanner is never present; no central store: an offline gate).
/// A gate configuration with one `out` lane whose scanner is never present (a USB id nothing has),
/// no thermometer, no central store, and the journal at `Fixture.journalPath(dir)`.
func writeDeviceLessConfiguration(in dir: URL) throws -> String {
    let config = dir.appendingPathComponent("checkpoint.toml").path
    try """
    gate = "gate-1"
    catalog = "\(BuildProducts.packageRoot.appendingPathComponent("Devices").path)"
    [[device]]
    id = "scan-1"
    match = { usb = "ffff:fffe" }
    [[lane]]
    id = "lane-1"
    direction = "out"
    scanner = "scan-1"
    [journal]
    path = "\(Fixture.journalPath(dir))"
    minimumFreeMB = 0
    """.write(toFile: config, atomically: true, encoding: .utf8)
    return config
}

@Suite("The person on duty's commands", .serialized)
struct ManualEntryCommandTests {
    func ctl(_ arguments: [String]) throws -> (Int32, String) { try runBuilt("checkpointctl", arguments) }

    @Test("A manual entry from checkpointctl is journaled with who recorded it and the hand-measured temperature")
    func manualEntryJournaled() async throws {
        let dir = try TestEnvironment.temporaryDirectory("manual-entry")
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = try writeDeviceLessConfiguration(in: dir)
        let socket = dir.appendingPathComponent("control.sock").path
        let daemon = try launchCheckpointd(config: config, socket: socket)
        defer { if daemon.isRunning { kill(daemon.processIdentifier, SIGKILL); daemon.waitUntilExit() } }
        #expect(try await waitUntil(within: .seconds(10)) { try ctl(["gate", "status", "--socket", socket]).0 == 0 })

        let (status, out) = try ctl(["gate", "manual", "--lane", "lane-1", "--recorded-by", "王师傅", "--shown", "ID 410105199001011234",
                                     "--celsius", "36.5", "--socket", socket, "--json"])
        #expect(status == 0, "\(out)")
        let record = try CheckpointJSON.decoder().decode(EntryRecord.self, from: Data(out.utf8))
        #expect(record.credential?.kind == .manual)
        #expect(record.credential?.payload == "ID 410105199001011234")
        #expect(record.recordedBy == "root (王师傅)", "the system user first, then the typed name")
        #expect(record.reason == .manualEntry)
        #expect(record.decision == .admit)
        #expect(record.temperature?.celsius == 36.5)
        #expect(record.direction == .out)
        #expect(record.seq == 1)

        let (openStatus, openOut) = try ctl(["gate", "manual", "--lane", "lane-1", "--recorded-by", "王师傅", "--open", "--socket", socket, "--json"])
        #expect(openStatus == 0, "\(openOut)")
        let opened = try CheckpointJSON.decoder().decode(EntryRecord.self, from: Data(openOut.utf8))
        #expect(opened.reason == .manualOpen)
        #expect(opened.seq == 2)

        let (lastZeroStatus, lastZeroOut) = try ctl(["journal", "--socket", socket, "--last", "0"])
        #expect(lastZeroStatus == 0, "journal --last 0 answers (it once crashed the daemon): \(lastZeroOut)")
        #expect(daemon.isRunning)

        let (badStatus, _) = try ctl(["gate", "manual", "--lane", "no-such-lane", "--recorded-by", "王师傅", "--socket", socket])
        #expect(badStatus != 0)
        kill(daemon.processIdentifier, SIGTERM)
        daemon.waitUntilExit()
        let journal = try JournalReader(path: Fixture.journalPath(dir))
        #expect(try journal.state().lastSeq == 2)
    }

    @Test("Without the daemon a manual entry is refused with a clear message, not recorded elsewhere")
    func manualEntryNeedsDaemon() throws {
        let dir = try TestEnvironment.temporaryDirectory("manual-no-daemon")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (status, _) = try ctl(["gate", "manual", "--lane", "lane-1", "--recorded-by", "x",
                                   "--socket", dir.appendingPathComponent("none.sock").path])
        #expect(status != 0)
    }

    @Test("checkpointctl config validate accepts a valid file and exits 78 naming the line and key of a bad one")
    func configValidate() throws {
        let dir = try TestEnvironment.temporaryDirectory("config-validate")
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = try writeDeviceLessConfiguration(in: dir)
        #expect(try ctl(["config", "validate", "--config", good]).0 == 0)
        let bad = dir.appendingPathComponent("bad.toml").path
        try String(contentsOfFile: good, encoding: .utf8).replacingOccurrences(of: "direction = \"out\"", with: "direction = \"sideways\"")
            .write(toFile: bad, atomically: true, encoding: .utf8)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: BuildProducts.executable("checkpointctl"))
        p.arguments = ["config", "validate", "--config", bad]
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 78)
        #expect(message.contains("bad.toml:8") && message.contains("lane[0].direction"), "\(message)")
    }
}
