import CheckpointCore
import Foundation
import TestSupport
import Testing
import Uplink

@Suite("Uplink building blocks")
struct UplinkUnitTests {
    @Test("Backoff doubles from the initial delay up to the maximum, with jitter between half and all of it")
    func backoff() {
        let b = Backoff(initial: .milliseconds(500), maximum: .seconds(8))
        #expect(b.delay(afterFailures: 1, random: 1) == .milliseconds(500))
        #expect(b.delay(afterFailures: 1, random: 0) == .milliseconds(250))
        #expect(b.delay(afterFailures: 3, random: 1) == .seconds(2))
        #expect(b.delay(afterFailures: 30, random: 1) == .seconds(8))
        #expect(b.delay(afterFailures: 30, random: 0.5) == .seconds(6))
        #expect(b.delay(afterFailures: 2, random: .nan) == .milliseconds(500))
    }

    @Test("The secrets file is read only when no one but its owner can read it")
    func secretsFile() throws {
        let dir = try TestEnvironment.temporaryDirectory("secret")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("secret").path
        try "  s3cret-value  \nignored\n".write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: path)
        #expect { try SecretsFile.read(path) } throws: { "\($0)".contains("chmod 600") }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        #expect(try SecretsFile.read(path) == "s3cret-value")
        try "\n".write(toFile: path, atomically: false, encoding: .utf8)
        #expect(throws: SecretsFile.Problem.self) { try SecretsFile.read(path) }
    }

    @Test("The secrets file may hold the whole <gate>:<secret> line that gate register prints; another gate's line is refused")
    func secretsFileWithGatePrefix() throws {
        let dir = try TestEnvironment.temporaryDirectory("secret")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("secret").path
        try "north-1:0123abcd\n".write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        #expect(try SecretsFile.read(path, gate: "north-1") == "0123abcd")
        #expect { try SecretsFile.read(path, gate: "south-2") } throws: { "\($0)".contains("gate \"north-1\", not \"south-2\"") }
        try "0123abcd\n".write(toFile: path, atomically: false, encoding: .utf8)
        #expect(try SecretsFile.read(path, gate: "north-1") == "0123abcd")
    }
}
