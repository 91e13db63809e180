import Foundation

/// `systemd-analyze` on this package's unit files (it works without systemd as PID 1).
public enum SystemdAnalyze {
    /// A copy of `systemd/<unit>` in `directory` whose `/usr/bin/` executables are the built ones
    /// (`verify` wants binaries that exist).
    public static func unitCopy(_ unit: String, in directory: URL) throws -> URL {
        var text = try String(contentsOf: BuildProducts.packageRoot.appendingPathComponent("systemd/\(unit)"), encoding: .utf8)
        for name in ["checkpoint-central", "checkpointctl", "checkpointd"] {
            text = text.replacingOccurrences(of: "/usr/bin/\(name) ", with: BuildProducts.executable(name) + " ")
        }
        let copy = directory.appendingPathComponent(unit)
        try text.write(to: copy, atomically: true, encoding: .utf8)
        return copy
    }

    /// Runs `systemd-analyze arguments…`; returns its exit status and its stdout and stderr together.
    public static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let result = try runProgram("/usr/bin/systemd-analyze", arguments)
        return (result.status, result.output + result.error)
    }

    /// `verify` and `security --offline=true --threshold=N` (the exposure score × 10) on a copy of
    /// `systemd/<unit>` in a temporary directory.
    public static func verifyAndRate(_ unit: String, threshold: Int) throws
        -> (verify: (status: Int32, output: String), security: (status: Int32, output: String)) {
        let directory = try TestEnvironment.temporaryDirectory("unit")
        defer { try? FileManager.default.removeItem(at: directory) }
        let copy = try unitCopy(unit, in: directory)
        return (try run(["verify", copy.path]), try run(["security", "--offline=true", "--threshold=\(threshold)", copy.path]))
    }
}
