import CheckpointCore
import Foundation
import Testing
import Uplink
import TestSupport

@Suite("systemd unit of checkpointd")
struct GateUnitFileTests: Sendable {
    @Test("systemd-analyze verifies checkpointd.service and rates its exposure at most 1.5")
    func unitVerifiesAndIsHardened() async throws {
        let (verify, security) = try await offPool { try SystemdAnalyze.verifyAndRate("checkpointd.service", threshold: 15) }
        #expect(verify.status == 0, "\(verify.output)")
        #expect(security.status == 0 && security.output.contains("Overall exposure level for checkpointd.service: 1."), "\(security.output)")
    }

    @Test("systemd-sysusers and systemd-tmpfiles with our files make the secret 0600 and checkpoint's, as SecretsFile requires")
    func secretModeIsAccepted() async throws {
        try await offPool { try secretModeIsAcceptedBlocking() }
    }

    func secretModeIsAcceptedBlocking() throws {
        let root = try TestEnvironment.temporaryDirectory("tmpfiles-root")
        defer { try? FileManager.default.removeItem(at: root) }
        let etc = root.appendingPathComponent("etc/checkpoint")
        try FileManager.default.createDirectory(at: etc, withIntermediateDirectories: true)
        let secret = etc.appendingPathComponent("central.secret")
        try "north-1:\(String(repeating: "ab", count: 32))\n".write(to: secret, atomically: true, encoding: .utf8)
        chmod(secret.path, 0o644)
        #expect(throws: SecretsFile.Problem.self) { try SecretsFile.read(secret.path) }
        let systemd = BuildProducts.packageRoot.appendingPathComponent("systemd")
        #expect(try runProgram("/usr/bin/systemd-sysusers", ["--root=\(root.path)", systemd.appendingPathComponent("checkpoint.sysusers").path]).status == 0)
        #expect(try runProgram("/usr/bin/systemd-tmpfiles", ["--root=\(root.path)", "--create",
                                                            systemd.appendingPathComponent("checkpoint.tmpfiles").path]).status == 0)
        let passwd = try String(contentsOf: root.appendingPathComponent("etc/passwd"), encoding: .utf8)
        let uid = try #require(passwd.split(separator: "\n").first { $0.hasPrefix("checkpoint:") }.map { $0.split(separator: ":")[2] })
        let attributes = try FileManager.default.attributesOfItem(atPath: secret.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect((attributes[.ownerAccountID] as? Int).map(String.init) == String(uid))
        #expect(try SecretsFile.read(secret.path, gate: "north-1") == String(repeating: "ab", count: 32))
    }
}
