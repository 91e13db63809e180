import Foundation
import TestSupport
import Testing

/// `checkpointctl status` lists the scanners (`scanners.status`) of the real `checkpointd`, with a
/// GM65 from checkpoint-sim on a PTY.
@Suite("checkpointctl status shows the scanners", .serialized)
struct ScannerStatusTests {
    @Test("After a scan, checkpointctl status shows the scanner open with its last scan and count, in text and --json")
    func scannerListed() async throws {
        let rig = try await ReloadTests().start()
        defer { rig.stop() }
        _ = try #require(try await rig.person(36.6, "https://hc.example/s", seq: 1))
        let (_, text) = try rig.ctl(["status"])
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("scanner    scan-1") }, "\(text)")
        #expect(line.contains(" open, last scan 20") && line.contains("1 scans, 0 rejected"), "\(line)")

        struct Health: Decodable {
            struct Scanner: Decodable { var id: String; var port: String; var scans: Int; var lastScanAt: String? }
            var scanners: [Scanner]
        }
        let (_, json) = try rig.ctl(["status", "--json"])
        let health = try JSONDecoder().decode(Health.self, from: Data(json.utf8))
        #expect(health.scanners.map(\.id) == ["scan-1"] && health.scanners.first?.scans == 1 && health.scanners.first?.lastScanAt != nil, "\(json)")
    }

    @Test("A scanner configured by its model alone, added by a reload with nothing plugged in, is listed missing with a warning")
    func modelAloneMissing() async throws {
        let rig = try await ReloadTests().start()
        defer { rig.stop() }
        let text = try String(contentsOfFile: rig.config, encoding: .utf8)
        try (text + "\n[[device]]\nid = \"scan-2\"\nmodel = \"honeywell-hidpos\"\n").write(toFile: rig.config, atomically: true, encoding: .utf8)
        let (status, out) = try rig.ctl(["config", "reload"])
        #expect(status == 0, "\(out)")
        let (_, report) = try rig.ctl(["status"])
        #expect(report.contains("scanner scan-2 is missing"), "\(report)")
        let line = try #require(report.split(separator: "\n").first { $0.hasPrefix("scanner    scan-2") }, "\(report)")
        #expect(line.contains("missing"), "\(line)")
        #expect(report.split(separator: "\n").contains { $0.hasPrefix("scanner    scan-1") && $0.contains(" open") }, "the other scanner is untouched: \(report)")
    }
}
