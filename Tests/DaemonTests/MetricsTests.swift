import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TestSupport
import Testing

/// `checkpointd`'s Prometheus endpoint (`[metrics] listen`), scraped over loopback HTTP.
@Suite("checkpointd's metrics endpoint", .serialized)
struct MetricsTests {
    /// A TCP port on 127.0.0.1 that was free a moment ago.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw CentralLoopback.Failure(description: "no free port: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// The device-less gate of `writeDeviceLessConfiguration` with `[metrics] listen`.
    static func writeConfiguration(in dir: URL, listen: String) throws -> String {
        let config = try writeDeviceLessConfiguration(in: dir)
        let text = try String(contentsOfFile: config, encoding: .utf8) + "\n[metrics]\nlisten = \"\(listen)\"\n"
        try text.write(toFile: config, atomically: true, encoding: .utf8)
        return config
    }

    /// The samples of a text-format scrape: `name{labels}` → value.
    static func samples(_ text: String) -> [String: Double] {
        var out: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            out[String(line[..<space])] = value
        }
        return out
    }

    func scrape(_ port: Int) async throws -> (status: Int, text: String) {
        let (data, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/metrics")!)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    @Test("GET /metrics answers Prometheus text; decisions, the journal and its commit latency move after two entries")
    func scrapeAfterDecisions() async throws {
        let dir = try TestEnvironment.temporaryDirectory("metrics")
        defer { try? FileManager.default.removeItem(at: dir) }
        let port = try Self.freePort()
        let config = try Self.writeConfiguration(in: dir, listen: "127.0.0.1:\(port)")
        let socket = dir.appendingPathComponent("control.sock").path
        let daemon = try launchCheckpointd(config: config, socket: socket)
        defer { if daemon.isRunning { kill(daemon.processIdentifier, SIGKILL); daemon.waitUntilExit() } }
        #expect(try await waitUntil(within: .seconds(10)) { try runBuilt("checkpointctl", ["gate", "status", "--socket", socket]).0 == 0 })
        // The endpoint starts beside the gate: the first answer within 10 s.
        let deadline = ContinuousClock.now + .seconds(10)
        var first: (status: Int, text: String)?
        while first == nil, ContinuousClock.now < deadline {
            first = try? await scrape(port)
            if first == nil { try await Task.sleep(for: .milliseconds(50)) }
        }
        let up = try #require(first)
        #expect(up.status == 200)

        let before = Self.samples(up.text)
        #expect(before["checkpoint_journal_last_seq"] == 0)
        #expect(before["checkpoint_device_up{device=\"scan-1\",role=\"scanner\"}"] == 0, "the scanner is not plugged in")

        for extra in [["--shown", "ID 1", "--celsius", "36.5"], ["--open"]] {
            let (status, out) = try runBuilt("checkpointctl", ["gate", "manual", "--lane", "lane-1", "--recorded-by", "tech", "--socket", socket] + extra)
            #expect(status == 0, "\(out)")
        }
        let (status, text) = try await scrape(port)
        #expect(status == 200)
        let after = Self.samples(text)
        #expect(after["checkpoint_decisions_total{reason=\"manualEntry\"}"] == 1, "\(text)")
        #expect(after["checkpoint_decisions_total{reason=\"manualOpen\"}"] == 1)
        #expect(after["checkpoint_journal_last_seq"] == 2 && after["checkpoint_journal_backlog"] == 2, "offline: nothing acknowledged")
        #expect(after["checkpoint_journal_commit_seconds_count"] == 2, "one commit latency per entry")
        #expect(text.contains("# TYPE checkpoint_journal_commit_seconds histogram") && text.contains("# TYPE checkpoint_decisions_total counter"))
        let (missing, _) = try await {
            let (_, r) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/other")!)
            return ((r as? HTTPURLResponse)?.statusCode ?? 0, ())
        }()
        #expect(missing == 404)
    }

    @Test("A [metrics] listen address that is not loopback is refused with file:line:key")
    func nonLoopbackRefused() throws {
        let dir = try TestEnvironment.temporaryDirectory("metrics-refused")
        defer { try? FileManager.default.removeItem(at: dir) }
        for listen in ["0.0.0.0:9464", "192.168.1.10:9464", "[::]:9464"] {
            let config = try Self.writeConfiguration(in: dir, listen: listen)
            let run = try runExecutable("checkpointd", ["--config", config, "--check"])
            #expect(run.status == 78, "\(listen): \(run.output) \(run.error)")
            #expect(run.error.contains("checkpoint.toml:") && run.error.contains("metrics.listen") && run.error.contains("not a loopback address"),
                    "\(listen): \(run.error)")
        }
        let config = try Self.writeConfiguration(in: dir, listen: "127.0.0.1:9464")
        #expect(try runExecutable("checkpointd", ["--config", config, "--check"]).status == 0)
    }
}
