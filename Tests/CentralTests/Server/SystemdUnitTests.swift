import Foundation
import Testing
import TestSupport

@Suite("systemd unit of checkpoint-central")
struct SystemdUnitTests {
    /// The unit with ExecStart pointing at the built executable (verify wants an existing binary).
    static func unitCopy(in directory: URL) throws -> URL {
        let source = BuildProducts.packageRoot.appendingPathComponent("systemd/checkpoint-central.service")
        let text = try String(contentsOf: source, encoding: .utf8)
            .replacingOccurrences(of: "/usr/bin/checkpoint-central", with: BuildProducts.executable("checkpoint-central"))
        let copy = directory.appendingPathComponent("checkpoint-central.service")
        try text.write(to: copy, atomically: true, encoding: .utf8)
        return copy
    }

    static func systemdAnalyze(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/systemd-analyze")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }

    @Test("systemd-analyze verifies the unit and rates its exposure at most 2.0")
    func unitVerifiesAndIsHardened() throws {
        let directory = try TestEnvironment.temporaryDirectory("central-unit")
        defer { try? FileManager.default.removeItem(at: directory) }
        let unit = try Self.unitCopy(in: directory)
        let verify = try Self.systemdAnalyze(["verify", unit.path])
        #expect(verify.status == 0, "\(verify.output)")
        #expect(verify.output.isEmpty, "\(verify.output)")
        let security = try Self.systemdAnalyze(["security", "--offline=true", "--threshold=20", unit.path])
        #expect(security.status == 0, "\(security.output)")
        #expect(security.output.contains("Overall exposure level"))
    }
}
