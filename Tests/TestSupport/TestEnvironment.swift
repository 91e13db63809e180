import Foundation

/// Services that `scripts/test.sh` starts and tells the tests about through the environment.
/// A test that needs one and finds it missing fails with this explanation rather than skipping.
public enum TestEnvironment {
    public struct Missing: Error, CustomStringConvertible {
        public let description: String
    }

    /// `postgres://…` of the throwaway PostgreSQL server that scripts/test.sh starts.
    public static func postgresURL() throws -> String {
        guard let url = ProcessInfo.processInfo.environment["CHECKPOINT_TEST_POSTGRES_URL"], !url.isEmpty else {
            throw Missing(description: "CHECKPOINT_TEST_POSTGRES_URL is not set: run the tests with scripts/test.sh")
        }
        return url
    }

    /// The Python of the test venv (pymodbus and other independent peers).
    public static func python() throws -> String {
        if let p = ProcessInfo.processInfo.environment["CHECKPOINT_TEST_PYTHON"], !p.isEmpty { return p }
        let venv = BuildProducts.packageRoot.appendingPathComponent(".venv/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: venv) else {
            throw Missing(description: "no test venv at \(venv): run scripts/install-deps.sh or scripts/test.sh")
        }
        return venv
    }

    /// A fresh temporary directory, removed by the caller when done.
    public static func temporaryDirectory(_ label: String = "checkpoint-test") throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
