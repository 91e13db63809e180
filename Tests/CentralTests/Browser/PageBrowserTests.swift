import CentralStore
import CheckpointCore
import Foundation
import TestSupport
import Testing

/// The page in a real browser: Debian's headless chromium driven by Selenium (`page_check.py`)
/// against the real `checkpoint-central` executable on loopback, SQLite. Screenshots are saved to
/// `.build/browser-screenshots/`.
@Suite("The page in headless chromium (real executable, SQLite)")
struct PageBrowserTests {
    struct Findings: Decodable {
        var signinTitle: String
        var wrongPasswordMessage: String
        var who: String
        var sessionCookieHttpOnly: Bool
        var sessionCookieSameSite: [String?]
        var todayCheckpoints: [String]
        var ledgerPlaces: [String]
        var csv: [CSVProbe]
        var ingestStatus: Int
        var feverLatencyMs: Int
        var feverRow: String
        var acknowledgedCell: String
        var englishHeading: String
        var passageRows: Int
        var feverPassages: [String]
        var previewRows: [String]
        var watchListRows: [String]
        var registeredCredential: String
        var rotatedCredential: String
        var gateRows: [String]
    }

    /// `[status, first characters]` of the CSV fetched through the page's export link.
    enum CSVProbe: Decodable {
        case status(Int), text(String)
        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let number = try? container.decode(Int.self) { self = .status(number) } else { self = .text(try container.decode(String.self)) }
        }
    }

    @Test("The web pages serve a clerk's day (her places, a fever within 2 s, acknowledge, export) and an admin's gate chores")
    func communityClerkDay() async throws {
        let directory = try TestEnvironment.temporaryDirectory("central-browser")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (database, credential) = try CentralProcess.prepareDatabase(in: directory)
        let second = directory.appendingPathComponent("second.json")
        try CheckpointJSON.encoder().encode(PlaceScopeTests.secondCommunity).write(to: second)
        _ = try CentralProcess.run(["places", "import", "--db", database, second.path])
        _ = try CentralProcess.run(["account", "create", "--db", database, "--username", "wang.fang", "--display-name", "王芳",
                                    "--role", "community", "--scope", "community:c1", "--bcrypt-cost", "4"],  // throwaway accounts: cheap hashes
                                   input: "a long enough password\n")
        _ = try CentralProcess.run(["account", "create", "--db", database, "--username", "admin", "--display-name", "区管理员",
                                    "--role", "districtAdmin", "--bcrypt-cost", "4"], input: "a long enough password\n")
        let server = try CentralProcess(serving: database, in: directory)
        defer { _ = server.terminate() }
        let port = try await server.port()
        let shots = BuildProducts.packageRoot.appendingPathComponent(".build/browser-screenshots")
        try FileManager.default.createDirectory(at: shots, withIntermediateDirectories: true)
        let job: [String: String] = ["base": "http://127.0.0.1:\(port)", "username": "wang.fang", "password": "a long enough password",
                                     "gate": "g1", "credential": credential, "screenshots": shots.path, "admin": "admin"]
        let output = try await offPool { try Self.runPython(job) }  // a browser session: never on the test pool
        let findings = try JSONDecoder().decode(Findings.self, from: Data(output.utf8))

        #expect(findings.signinTitle.contains("登录"))
        #expect(findings.wrongPasswordMessage == "用户名或密码错误")
        #expect(findings.who.contains("王芳"))
        #expect(findings.who.contains("幸福社区"))
        #expect(findings.sessionCookieHttpOnly)
        #expect(findings.sessionCookieSameSite == ["Strict"])
        #expect(findings.todayCheckpoints.count == 1)
        #expect(findings.todayCheckpoints.first?.contains("北门卡点") == true)
        #expect(findings.ledgerPlaces == ["community:c1", "checkpoint:cp1"])
        guard case .status(let csvStatus)? = findings.csv.first, case .text(let csvStart)? = findings.csv.last else {
            Issue.record("no CSV probe: \(findings.csv)")
            return
        }
        #expect(csvStatus == 200)
        // fetch().text() drops the byte-order mark; the header row follows it.
        #expect(csvStart.hasPrefix("occurred_at,street,community"))
        #expect(findings.ingestStatus == 200)
        #expect(findings.feverLatencyMs < 2000)
        #expect(findings.feverRow.contains("38.7"))
        #expect(findings.passageRows == 0)
        #expect(findings.feverPassages.count == 1)
        #expect(findings.feverPassages.first?.contains("北门卡点") == true)
        #expect(findings.acknowledgedCell.contains("wang.fang"))
        #expect(findings.englishHeading.hasPrefix("Alerts"))
        #expect(findings.previewRows.count == 2)
        #expect(findings.previewRows.first?.contains("HC-RED-1") == true)
        #expect(findings.watchListRows.contains { $0.contains("HC-RED-1") && $0.contains("红") && $0.contains("居家隔离") })
        #expect(findings.watchListRows.contains { $0.contains("HC-YELLOW-2") })
        // What the gate now fetches.
        let delta = try await ServerHarness.send(.GET, "http://127.0.0.1:\(port)/v1/watchlist", bearer: credential)
            .decode(WatchListDelta.self)
        let red = delta.upserts.first { $0.credential == "HC-RED-1" }
        #expect(red?.colour == .red)
        #expect(red?.isolation == true)
        // Gates: registered on the page (credential shown once), its secret rotated, g2 revoked.
        #expect(findings.registeredCredential.hasPrefix("g9:"))
        #expect(findings.rotatedCredential.hasPrefix("g9:"))
        #expect(findings.rotatedCredential != findings.registeredCredential)
        let heartbeatURL = "http://127.0.0.1:\(port)/v1/watchlist"
        #expect(try await ServerHarness.send(.GET, heartbeatURL, bearer: findings.registeredCredential).status == 401)
        #expect(try await ServerHarness.send(.GET, heartbeatURL, bearer: findings.rotatedCredential).status == 200)
        #expect(findings.gateRows.contains { $0.hasPrefix("g2") && $0.contains("已吊销") })
    }

    static func runPython(_ job: [String: String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try TestEnvironment.python())
        process.arguments = [BuildProducts.packageRoot.appendingPathComponent("Tests/CentralTests/Browser/page_check.py").path]
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        input.fileHandleForWriting.write(try JSONEncoder().encode(job))
        try input.fileHandleForWriting.close()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw ServerTestFailure("page_check.py exited \(process.terminationStatus): \(errorText)") }
        return text
    }
}
