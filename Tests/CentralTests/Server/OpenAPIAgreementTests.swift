import AsyncHTTPClient
import CheckpointCore
import CentralServer
import CentralStore
import Foundation
import NIOCore
import Testing
import TestSupport

/// `openapi.yaml` and the router must describe the same API, and the document must be valid OpenAPI.
@Suite("OpenAPI document agrees with the server")
struct OpenAPIAgreementTests {
    /// `METHOD /path` for every operation under `paths:`. The document keeps one layout: a path at
    /// two spaces of indentation, its operations at four.
    static func documentedOperations(_ yaml: String) -> Set<String> {
        let methods: Set<String> = ["get", "put", "post", "delete", "patch", "head", "options", "trace"]
        var operations = Set<String>()
        var inPaths = false
        var currentPath: String?
        for line in yaml.split(separator: "\n", omittingEmptySubsequences: false) {
            if !line.hasPrefix(" "), !line.isEmpty {
                inPaths = line == "paths:"
                continue
            }
            guard inPaths else { continue }
            if line.hasPrefix("  "), !line.hasPrefix("   "), line.hasSuffix(":") {
                currentPath = String(line.dropFirst(2).dropLast())
            } else if line.hasPrefix("    "), !line.hasPrefix("     "), line.hasSuffix(":"), let path = currentPath {
                let method = String(line.dropFirst(4).dropLast())
                if methods.contains(method) { operations.insert("\(method.uppercased()) \(path)") }
            }
        }
        return operations
    }

    /// The security scheme each operation declares (`nil` for `security: []`), same layout rules:
    /// `security:` at six spaces, its first requirement at eight.
    static func documentedSecurity(_ yaml: String) -> [String: String?] {
        var result: [String: String?] = [:]
        var operation: String?
        var path: String?
        var inPaths = false
        var expectingRequirement = false
        for line in yaml.split(separator: "\n", omittingEmptySubsequences: false) {
            if !line.hasPrefix(" "), !line.isEmpty { inPaths = line == "paths:"; continue }
            guard inPaths else { continue }
            if line.hasPrefix("  "), !line.hasPrefix("   "), line.hasSuffix(":") {
                path = String(line.dropFirst(2).dropLast())
            } else if line.hasPrefix("    "), !line.hasPrefix("     "), line.hasSuffix(":"), let path {
                operation = "\(line.dropFirst(4).dropLast().uppercased()) \(path)"
            } else if let operation, line == "      security: []" {
                result[operation] = .some(nil)
            } else if line == "      security:" {
                expectingRequirement = true
            } else if expectingRequirement, let operation, line.hasPrefix("        - ") {
                result[operation] = String(line.dropFirst(10).prefix { $0 != ":" })
                expectingRequirement = false
            }
        }
        return result
    }

    @Test("Each operation enforces its documented security: its own credential works, none or the other kind gets 401")
    func securityMatchesDocument() async throws {
        let yaml = try String(contentsOf: Fixtures.openAPIPath, encoding: .utf8)
        let security = Self.documentedSecurity(yaml)
        #expect(Set(security.keys) == Self.documentedOperations(yaml), "every operation declares its security")
        try await ServerHarness.withSQLite { server in
            for (operation, scheme) in security.sorted(by: { $0.key < $1.key }) {
                let parts = operation.split(separator: " ", maxSplits: 1)
                // Admin operations act on g2 (rotating or revoking it), so that g1's credential keeps working.
                let path = parts[1].replacingOccurrences(of: "{gate}", with: "g2")
                    .replacingOccurrences(of: "{level}", with: "gate").replacingOccurrences(of: "{id}", with: "g1")
                    .replacingOccurrences(of: "{alert}", with: "1").replacingOccurrences(of: "{username}", with: "nobody")
                    .replacingOccurrences(of: "{file}", with: "app.css")
                /// The status as sent, redirects not followed.
                func status(_ bearer: String?) async throws -> Int {
                    var request = HTTPClientRequest(url: server.baseURL + path)
                    request.method = parts[0] == "POST" ? .POST : .GET
                    if let bearer { request.headers.add(name: "Authorization", value: "Bearer \(bearer)") }
                    if parts[0] == "POST" {
                        request.headers.add(name: "Content-Type", value: "application/json")
                        request.body = .bytes(ByteBuffer(string: "{}"))
                    }
                    let response = try await SignInTests.client.execute(request, timeout: .seconds(20))
                    // An event stream never ends: its head is the answer.
                    if response.headers["Content-Type"].first?.hasPrefix("text/event-stream") != true {
                        _ = try await response.body.collect(upTo: 16 * 1024 * 1024)
                    }
                    return Int(response.status.code)
                }
                let anonymous = try await status(nil)
                let withGate = try await status(server.credentials["g1"])
                let withAdmin = try await status(ServerHarness.adminToken)
                switch scheme {
                case nil where parts[1] == "/" || parts[1].hasPrefix("/signin"):
                    // The page's public routes: a redirect, the form, or a refused form token — never 401.
                    #expect(anonymous != 401 && anonymous < 500, "\(operation): \(anonymous)")
                case nil:
                    #expect(anonymous == 200, "\(operation)")
                case "sessionCookie"?:
                    #expect(anonymous == 303, "\(operation): not signed in is sent to /signin, got \(anonymous)")
                    #expect(withGate == 401, "\(operation) accepted a gate credential")
                    // Signing out ends a session; a token has none to end (303 to /signin like anyone else).
                    if operation != "POST /signout" {
                        #expect(withAdmin != 401 && withAdmin != 303, "\(operation) refused the admin token")
                    }
                case "gateCredential"?:
                    #expect(anonymous == 401, "\(operation)")
                    #expect(withAdmin == 401, "\(operation) accepted the admin token")
                    #expect(withGate != 401, "\(operation) refused the gate credential")
                case "adminToken"?:
                    #expect(anonymous == 401, "\(operation)")
                    #expect(withGate == 401, "\(operation) accepted a gate credential")
                    #expect(withAdmin != 401, "\(operation) refused the admin token")
                default:
                    Issue.record("\(operation): unknown security scheme \(scheme ?? "")")
                }
            }
        }
    }

    @Test("Every route the router serves is in openapi.yaml, and every documented operation is served")
    func routesMatchDocument() async throws {
        let yaml = try String(contentsOf: Fixtures.openAPIPath, encoding: .utf8)
        let documented = Self.documentedOperations(yaml)
        try await ServerHarness.withSQLite { server in
            let router = CentralServer.makeRouter(store: server.store, configuration: CentralServerConfiguration(),
                                                  metrics: ServerMetrics(), openAPIText: yaml, webAssets: try WebAssets.load())
            let served = Set(router.routes.map { "\($0.method.rawValue) \($0.path.description)" })
            #expect(served.count >= 40)
            #expect(served.contains("GET /ui/webhook"))
            #expect(served.subtracting(documented).sorted() == [], "served but not documented")
            #expect(documented.subtracting(served).sorted() == [], "documented but not served")
        }
    }

    @Test("Every documented constraint on an administration route holds: each violation gets 400, each example is accepted")
    func constraintsAreEnforced() async throws {
        try await ServerHarness.withSQLite { server in
            let python = try TestEnvironment.python()
            let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("openapi_check.py").path
            let arguments = [script, Fixtures.openAPIPath.path, server.baseURL, ServerHarness.adminToken]
            let output = try await offPool { () throws -> Data in
                let process = Process()
                process.executableURL = URL(fileURLWithPath: python)
                process.arguments = arguments
                let pipe = Pipe()
                process.standardOutput = pipe
                try process.run()
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                return data
            }
            struct Check: Decodable { var check: String; var status: Int; var ok: Bool }
            let checks = try JSONDecoder().decode([Check].self, from: output)
            #expect(checks.count >= 40, "the document's constraints were found")
            for failed in checks where !failed.ok { Issue.record("\(failed.check): got \(failed.status)") }
            #expect(checks.contains { $0.check.contains("body with an undocumented field") })
            #expect(checks.contains { $0.check.contains("not in enum") })
            #expect(checks.contains { $0.check.contains("against pattern") })
        }
    }

    @Test("The document's ReasonCode enumeration is exactly the reason codes a gate journals")
    func reasonCodesMatch() throws {
        let yaml = try String(contentsOf: Fixtures.openAPIPath, encoding: .utf8)
        let block = try #require(yaml.range(of: "    ReasonCode:\n").map { yaml[$0.upperBound...] })
        let enumText = try #require(block.range(of: "enum: [").flatMap { start in
            block[start.upperBound...].range(of: "]").map { block[start.upperBound..<$0.lowerBound] }
        })
        let documented = enumText.split(whereSeparator: { ", \n".contains($0) }).map(String.init)
        #expect(documented == ReasonCode.allCases.map(\.rawValue))
    }

    @Test("The server serves openapi.yaml byte for byte as it is in the repository")
    func servedDocumentIsTheRepositoryFile() async throws {
        try await ServerHarness.withSQLite { server in
            let reply = try await server.send(.GET, "/openapi.yaml")
            #expect(reply.status == 200)
            #expect(reply.body == (try Data(contentsOf: Fixtures.openAPIPath)))
        }
    }

    @Test("The built resource bundle holds the same openapi.yaml the executable serves")
    func resourceBundleMatches() throws {
        let bundled = BuildProducts.directory.appendingPathComponent(OpenAPIDocument.resourceBundleName)
            .appendingPathComponent(OpenAPIDocument.fileName)
        #expect(try Data(contentsOf: bundled) == (try Data(contentsOf: Fixtures.openAPIPath)))
    }

    @Test("openapi.yaml is a valid OpenAPI 3.1 document (openapi-spec-validator from PyPI)")
    func documentValidates() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try TestEnvironment.python())
        process.arguments = ["-m", "openapi_spec_validator", Fixtures.openAPIPath.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(text.contains("OK"))
    }

    @Test("The line-based extraction of operations reads paths and methods and nothing else")
    func extractionIsFaithful() {
        let yaml = "openapi: 3.1.0\npaths:\n  /a/{x}:\n    get:\n      summary: s\n    post:\n      responses: {}\n"
            + "  /b:\n    parameters: []\n    delete:\n      x: 1\ncomponents:\n  /c:\n    get:\n"
        #expect(Self.documentedOperations(yaml) == ["GET /a/{x}", "POST /a/{x}", "DELETE /b"])
    }
}
