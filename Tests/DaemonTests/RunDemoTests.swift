import Foundation
import TestSupport
import Testing

/// `scripts/run-demo.sh` as a user runs it (minus install-deps and the build, which the test command
/// already did): the real central store, checkpoint-sim and checkpointd, the scripted scenario, the
/// summary of what reached the store — and nothing left behind when it stops.
@Suite("scripts/run-demo.sh", .serialized)
struct RunDemoTests {
    /// Every process whose command line mentions `text` (the demo's private TMPDIR).
    func processes(mentioning text: String) -> [String] {
        let ids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return ids.filter { Int32($0) != nil && Int32($0) != getpid() }.compactMap { pid in
            guard let raw = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return nil }
            let cmdline = String(decoding: raw.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
            return cmdline.contains(text) ? "\(pid): \(cmdline)" : nil
        }
    }

    @Test("The demo runs non-interactively: every scenario's entry reaches the store, it exits 0 and leaves nothing behind")
    func demoRunsAndCleansUp() async throws {
        let tmp = try TestEnvironment.temporaryDirectory("demo")
        defer { try? FileManager.default.removeItem(at: tmp) }
        let outputURL = tmp.appendingPathComponent("demo.out")
        FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        let output = try FileHandle(forWritingTo: outputURL)
        defer { try? output.close() }

        let demo = Process()
        demo.executableURL = URL(fileURLWithPath: "/bin/bash")
        demo.arguments = [BuildProducts.packageRoot.appendingPathComponent("scripts/run-demo.sh").path, "--duration", "1"]
        demo.environment = ProcessInfo.processInfo.environment.merging([
            "DEMO_SKIP_BUILD": "1", "DEMO_BIN": BuildProducts.directory.path, "TMPDIR": tmp.path,
        ]) { _, new in new }
        demo.standardOutput = output
        demo.standardError = output
        demo.standardInput = FileHandle.nullDevice
        try demo.run()

        // The scenario takes about 48 s here (with the two ID card people); stop the demo (SIGTERM: its own cleanup) at 75 s.
        let finished = await waitUntil(within: .seconds(75)) { !demo.isRunning }
        if !finished {
            demo.terminate()
            _ = await waitUntil(within: .seconds(10)) { !demo.isRunning }
        }
        let text = (try? String(contentsOf: outputURL, encoding: .utf8)) ?? ""
        #expect(finished, "the demo did not finish within 75 s:\n\(text.suffix(3000))")
        #expect(!demo.isRunning && demo.terminationStatus == 0, "exit status \(demo.terminationStatus):\n\(text.suffix(3000))")

        // The summary line: "run-demo summary: journaled=N central=M decisions: … reasons: admitted=… fever=…".
        let summary = try #require(text.split(separator: "\n").last { $0.hasPrefix("run-demo summary:") }.map(String.init),
                                   "no summary line:\n\(text.suffix(3000))")
        func count(_ key: String) -> Int {
            guard let range = summary.range(of: "\(key)=") else { return 0 }
            return Int(summary[range.upperBound...].prefix { $0.isNumber }) ?? 0
        }
        #expect(count("admitted") >= 1, "\(summary)")
        #expect(count("fever") == 1, "\(summary)")
        #expect(count("refuse") >= 1 && count("admit") >= 1, "\(summary)")
        #expect(count("codeUnrecognized") == 1 && count("codeDenied") == 1 && count("watchListed") == 1, "\(summary)")
        #expect(count("visitorRegistration") == 1, "one visitor registered by ID card: \(summary)")
        #expect(text.contains("李秀英"), "the visitors' register lists the visitor")
        #expect(count("journaled") >= 7 && count("central") == count("journaled"), "everything journaled reached the store: \(summary)")
        #expect(text.contains("every entry of the scenario reached the central store"))

        // Nothing left behind: no process mentions the demo's TMPDIR, and its temp dir is gone.
        #expect(await waitUntil(within: .seconds(5)) { processes(mentioning: tmp.path).isEmpty },
                "left behind: \(processes(mentioning: tmp.path))")
        let left = try FileManager.default.contentsOfDirectory(atPath: tmp.path).filter { $0.hasPrefix("checkpoint-demo-") }
        #expect(left.isEmpty, "temp dir not removed: \(left)")
    }
}
