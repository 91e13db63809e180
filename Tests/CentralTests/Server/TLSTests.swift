import CentralServer
import CheckpointCore
import Foundation
import Testing

@Suite("HTTPS (openssl-made self-signed certificate)")
struct TLSTests {
    /// A fresh self-signed certificate for 127.0.0.1 from the openssl command line.
    static func selfSigned(in directory: URL) throws -> CentralServerConfiguration.TLSFiles {
        let cert = directory.appendingPathComponent("cert.pem").path
        let key = directory.appendingPathComponent("key.pem").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                             "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1",
                             "-addext", "subjectAltName=IP:127.0.0.1"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw ServerTestFailure("openssl req failed") }
        return CentralServerConfiguration.TLSFiles(certificateChainPath: cert, privateKeyPath: key)
    }

    @Test("With a certificate and key the server speaks HTTPS: a gate ingests over TLS")
    func ingestOverTLS() async throws {
        try await ServerHarness.withSQLite(tls: Self.selfSigned) { server in
            #expect(server.baseURL.hasPrefix("https://"))
            let reply = try await server.ingest(Fixtures.batch(gate: "g1", count: 2), as: "g1")
            #expect(reply.status == 200)
            #expect(try reply.decode(IngestResponse.self).stored.count == 2)
        }
    }

    @Test("Unloadable TLS files are refused at startup with a message naming them")
    func badTLSFilesAreRefused() async throws {
        try await ServerHarness.withSQLite { server in
            let files = CentralServerConfiguration.TLSFiles(certificateChainPath: "/nonexistent/cert.pem",
                                                            privateKeyPath: "/nonexistent/key.pem")
            do {
                _ = try CentralServer.makeApplication(store: server.store, configuration: CentralServerConfiguration(port: 0, tls: files),
                                                      logger: ServerHarness.quietLogger, openAPIText: nil)
                Issue.record("a server was made with unloadable TLS files")
            } catch let error as TLSSetupError {
                #expect(error.description.contains("/nonexistent/cert.pem"))
            }
        }
    }
}
