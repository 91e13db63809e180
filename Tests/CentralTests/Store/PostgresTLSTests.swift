import CentralStore
import Foundation
import Testing
import TestSupport

/// The store's TLS to PostgreSQL against the server scripts/test.sh starts with `ssl=on` and a
/// certificate for `localhost` signed by a throwaway CA (`CHECKPOINT_TEST_POSTGRES_CA`).
@Suite("Central store: TLS to PostgreSQL (sslmode, against a server with a self-signed CA)")
struct PostgresTLSTests {
    struct Server {
        let port: Int
        let ca: String
        let otherCA: String
    }

    static func server() throws -> Server {
        let environment = ProcessInfo.processInfo.environment
        guard let url = URLComponents(string: try TestEnvironment.postgresURL()), let port = url.port,
              let ca = environment["CHECKPOINT_TEST_POSTGRES_CA"], let otherCA = environment["CHECKPOINT_TEST_POSTGRES_OTHER_CA"] else {
            throw ServerTestFailure("CHECKPOINT_TEST_POSTGRES_CA is not set: run the tests with scripts/test.sh")
        }
        return Server(port: port, ca: ca, otherCA: otherCA)
    }

    /// A store on `host` with `parameters` (`sslmode=…`), in a fresh schema.
    static func open(host: String, _ parameters: String) async throws -> SQLCentralStorage {
        let server = try server()
        let schema = "tls_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12)
        let location = try StoreLocation(parsing: "postgres://postgres@\(host):\(server.port)/postgres?schema=\(schema)&\(parameters)")
        return try await CentralStorageFactory.openSQL(location, logger: StoreFixture.logger, writeWaitLimit: StoreFixture.writeWaitLimit)
    }

    /// The store refused because of the certificate (not, say, a timeout or a refused connection).
    static func isCertificateFailure(_ error: (any Error)?) -> Bool {
        let text = String(describing: error).lowercased()
        return text.contains("certificate") || text.contains("handshake") || text.contains("ssl")
    }

    @Test("sslmode=verify-full with the server's CA connects to localhost over TLS, and the store works")
    func verifyFull() async throws {
        let store = try await Self.open(host: "localhost", "sslmode=verify-full&sslrootcert=\(try Self.server().ca)")
        #expect(try await store.connectionEncrypted() == true)
        try await store.upsertPlaces(StoreFixture.places)
        #expect(try await store.places().streets.count == 2)
        await store.close()
    }

    @Test("sslmode=require encrypts without checking the certificate; sslmode=disable is plain")
    func requireAndDisable() async throws {
        let required = try await Self.open(host: "127.0.0.1", "sslmode=require")
        #expect(try await required.connectionEncrypted() == true)
        await required.close()
        let plain = try await Self.open(host: "127.0.0.1", "sslmode=disable")
        #expect(try await plain.connectionEncrypted() == false)
        await plain.close()
    }

    @Test("sslmode=verify-ca accepts the CA's certificate at 127.0.0.1, which verify-full refuses (the certificate names localhost)")
    func hostnameChecked() async throws {
        let ca = try Self.server().ca
        let byCA = try await Self.open(host: "127.0.0.1", "sslmode=verify-ca&sslrootcert=\(ca)")
        #expect(try await byCA.connectionEncrypted() == true)
        await byCA.close()
        let error = await #expect(throws: CentralStoreError.self) {
            let store = try await Self.open(host: "127.0.0.1", "sslmode=verify-full&sslrootcert=\(ca)")
            await store.close()
        }
        #expect(Self.isCertificateFailure(error), "\(String(describing: error))")
    }

    @Test("sslmode=verify-full refuses a server whose certificate another CA signed")
    func wrongCA() async throws {
        let other = try Self.server().otherCA
        let error = await #expect(throws: CentralStoreError.self) {
            let store = try await Self.open(host: "localhost", "sslmode=verify-full&sslrootcert=\(other)")
            await store.close()
        }
        #expect(Self.isCertificateFailure(error), "\(String(describing: error))")
    }

    @Test("sslmode and sslrootcert are parsed strictly: unknown modes, verifying without a CA, a CA without verifying are refused")
    func parsing() throws {
        let base = "postgres://u@db.example/central?"
        let location = try StoreLocation(parsing: base + "sslmode=verify-full&sslrootcert=/etc/ca.pem")
        guard case .postgres(let pg) = location else { Issue.record("not postgres"); return }
        #expect(pg.tls == .verifyFull(rootCertificates: "/etc/ca.pem"))
        #expect(location.description == "postgres://u@db.example:5432/central?sslmode=verify-full&sslrootcert=/etc/ca.pem")
        guard case .postgres(let plain) = try StoreLocation(parsing: base + "schema=s1") else { Issue.record("not postgres"); return }
        #expect(plain.tls == .disable)
        for bad in ["sslmode=prefer", "sslmode=verify-full", "sslmode=verify-ca&sslrootcert=", "sslmode=require&sslrootcert=/ca.pem",
                    "sslrootcert=/ca.pem"] {
            #expect(throws: CentralStoreError.self, "\(bad)") { try StoreLocation(parsing: base + bad) }
        }
    }
}
