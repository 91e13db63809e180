import Foundation

/// The gate's entry path as a child process (`gate-stream-harness`, see its main.swift): output
/// lines `journaled <seq> <id>` and `drained` are collected in a file.
public final class GateHarness: Sendable {
    public let process = Process()
    public let output: URL

    public init(journal: String, central: CentralLoopback, total: Int, run: Int, backoffMaxMs: Int = 300, paceMs: Int = 0) throws {
        output = central.directory.appendingPathComponent("harness-\(run).out")
        FileManager.default.createFile(atPath: output.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: BuildProducts.executable("gate-stream-harness"))
        process.arguments = [journal, central.gate, central.url, central.secretsFile, String(total), String(backoffMaxMs), String(paceMs)]
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    /// The `journaled` lines so far as (seq, id).
    public var journaled: [(seq: Int64, id: String)] {
        lines.compactMap { line in
            let parts = line.split(separator: " ")
            guard parts.count == 3, parts[0] == "journaled", let seq = Int64(parts[1]) else { return nil }
            return (seq, String(parts[2]))
        }
    }

    public var drained: Bool { lines.contains("drained") }

    private var lines: [String] {
        ((try? String(contentsOf: output, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    public func kill9() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Waits (up to `seconds`) for the process to exit; returns its status, or nil if it did not.
    public func exitStatus(within seconds: Double) async -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        return process.isRunning ? nil : process.terminationStatus
    }
}
