import CheckpointCore
import CredentialDigest
import Foundation
import TestSupport
import Testing

/// The district digest, checked against Python's `hmac` (an independent implementation).
@Suite("The district digest of a credential")
struct CredentialDigesterTests {
    static let key = "district-key-for-tests-0123456789"

    /// Python's digest of each payload (one line each), with the same label and key.
    func pythonDigests(_ payloads: [String], key: String) throws -> [String] {
        let script = """
            import hmac, hashlib, sys
            key = sys.argv[1].encode()
            for p in sys.argv[2:]:
                print("hmac-sha256:" + hmac.new(key, b"checkpoint credential v1\\n" + p.encode(), hashlib.sha256).hexdigest())
            """
        let (status, output, error) = try runProgram(try TestEnvironment.python(), ["-c", script, key] + payloads)
        #expect(status == 0, "python: \(error)")
        return output.split(separator: "\n").map(String.init)
    }

    @Test("A digest equals Python's HMAC-SHA256 of the label and the payload, for ASCII, Chinese and long payloads")
    func matchesPython() throws {
        let payloads = ["HC-1", "https://hc.example/p?id=粤B-12345&t=绿码", String(repeating: "x", count: 2_900), "a b\tc"]
        let digester = try CredentialDigester(districtKey: Self.key)
        #expect(payloads.map(digester.digest) == (try pythonDigests(payloads, key: Self.key)))
    }

    @Test("A digest has the documented form and is not digested again")
    func form() throws {
        let digester = try CredentialDigester(districtKey: Self.key)
        let d = digester.digest("HC-1")
        #expect(CredentialDigester.isDigest(d) && d.count == CredentialDigester.prefix.count + 64)
        #expect(digester.digest(d) == d)
        #expect(!CredentialDigester.isDigest("hmac-sha256:XYZ"), "a payload that only starts like a digest is hashed")
        #expect(digester.digest("hmac-sha256:XYZ") != "hmac-sha256:XYZ")
    }

    @Test("Another key gives another digest of the same payload")
    func keyMatters() throws {
        let a = try CredentialDigester(districtKey: Self.key).digest("HC-1")
        let b = try CredentialDigester(districtKey: Self.key + "x").digest("HC-1")
        #expect(a != b)
    }

    @Test("A key shorter than 16 bytes is refused")
    func shortKey() {
        #expect(throws: DistrictKeyError.self) { try CredentialDigester(districtKey: "short-key") }
    }

    @Test("A key file that group or others may read is refused; a 0600 file's first line is the key")
    func keyFile() throws {
        let directory = try TestEnvironment.temporaryDirectory("district-key")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("district.key").path
        FileManager.default.createFile(atPath: path, contents: Data("\(Self.key)\n".utf8), attributes: [.posixPermissions: 0o644])
        #expect(throws: DistrictKeyError.self) { try CredentialDigester(keyFile: path) }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        let fromFile = try CredentialDigester(keyFile: path)
        #expect(fromFile.digest("HC-1") == (try CredentialDigester(districtKey: Self.key)).digest("HC-1"))
    }
}
