import CheckpointCore
import Foundation
import GRDB
import TestSupport
import Testing

/// `checkpointd` with a simulated SAM ID reader (checkpoint-sim, the real framing on a PTY) at a
/// registration lane, and the REAL central store over loopback.
@Suite("ID cards through checkpointd to the central store", .serialized)
struct IDCardDaemonTests {
    /// The sample resident card's citizen number (checkpoint-sim `present resident`), made up.
    static let residentNumber = "110101199003071233"
    static let districtKey = "district-key-for-tests-0123456789"

    /// HMAC-SHA256 of `number` with the district key, computed by Python's hmac module.
    static func pythonHash(_ number: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try TestEnvironment.python())
        p.arguments = ["-c", "import hmac,hashlib,sys;print(hmac.new(sys.argv[1].encode(),sys.argv[2].encode(),hashlib.sha256).hexdigest())",
                       districtKey, number]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func writeConfiguration(central: CentralLoopback, reader: String, residentHash: String) throws -> String {
        let dir = central.directory
        let keyFile = dir.appendingPathComponent("district.key").path
        FileManager.default.createFile(atPath: keyFile, contents: Data(districtKey.utf8), attributes: [.posixPermissions: 0o600])
        let config = dir.appendingPathComponent("checkpoint.toml").path
        try """
        gate = "\(central.gate)"
        catalog = "\(BuildProducts.packageRoot.appendingPathComponent("Devices").path)"

        [[device]]
        id = "idcard-1"
        model = "sam-module-serial"
        path = "\(reader)"

        [[lane]]
        id = "visitors-in"
        direction = "in"
        idReaders = ["idcard-1"]
        registration = true
        relay = { simulated = "relay-visitors", pulseMs = 200 }

        [policy]
        requireTemperature = false
        [policy.idCard]
        districtKeyFile = "\(keyFile)"
        residents = ["\(residentHash)"]

        [central]
        url = "\(central.url)"
        secretsFile = "\(central.secretsFile)"
        heartbeatSeconds = 1
        backoffInitialMs = 50
        backoffMaxMs = 300

        [journal]
        path = "\(dir.appendingPathComponent("journal.sqlite").path)"
        minimumFreeMB = 0
        """.write(toFile: config, atomically: true, encoding: .utf8)
        return config
    }

    /// (reason, credential payload) of every stored entry, and the stored registrations' (seq, name, number).
    func stored(_ central: CentralLoopback) throws -> (entries: [(String, String)], registrations: [(Int64, String, String)]) {
        var config = Configuration()
        config.readonly = true
        let db = try DatabaseQueue(path: central.directory.appendingPathComponent("central.sqlite").path, configuration: config)
        return try db.read { db in
            let entries = try Row.fetchAll(db, sql: "SELECT reason, credential_payload FROM entries ORDER BY seq")
                .map { ($0["reason"] as String, $0["credential_payload"] as String) }
            let regs = try Row.fetchAll(db, sql: "SELECT seq, name, citizen_number FROM registrations ORDER BY seq")
                .map { ($0["seq"] as Int64, $0["name"] as String, $0["citizen_number"] as String) }
            return (entries, regs)
        }
    }

    @Test("ID cards via checkpointd reach the store as keyed hashes or registrations, expired ones refused, none logged in clear")
    func residentVisitorExpired() async throws {
        let central = try CentralLoopback()
        defer { central.cleanUp() }
        try await central.start()
        let dir = central.directory
        let sim = try LineProcess("checkpoint-sim", ["run", "--catalog", BuildProducts.packageRoot.appendingPathComponent("Devices").path,
                                                     "--dir", dir.path, "--device", "sam-module-serial:name=idcard"])
        defer { sim.stop() }
        var reader: String?
        while let line = sim.readLine(), !line.hasPrefix("ready:") {
            let f = line.split(separator: "\t").map(String.init)
            if f.count >= 2, f[0] == "idcard" { reader = f[1] }
        }
        let hash = try Self.pythonHash(Self.residentNumber)
        #expect(hash.count == 64)
        let config = try Self.writeConfiguration(central: central, reader: try #require(reader), residentHash: hash)
        let socket = dir.appendingPathComponent("control.sock").path
        let log = dir.appendingPathComponent("daemon.log")
        let gateTests = CheckpointdGateTests()
        let daemon = try gateTests.startDaemon(config: config, socket: socket, log: log)
        defer { if daemon.isRunning { kill(daemon.processIdentifier, SIGKILL); daemon.waitUntilExit() } }
        #expect(try await waitUntil(within: .seconds(10)) { try gateTests.journalStatus(socket) != nil })

        func present(_ card: String, expectSeq seq: Int64) async throws -> EntryRecord? {
            _ = sim.send("idcard present \(card)")
            let ok = try await waitUntil(within: .seconds(10)) { (try gateTests.journalStatus(socket)?.state.lastSeq ?? 0) >= seq }
            _ = sim.send("idcard remove")
            try await Task.sleep(for: .milliseconds(900))  // the reader sees the card gone (2 polls at 4 Hz)
            guard ok else { return nil }
            return try gateTests.journalStatus(socket)?.latest.first { $0.seq == seq }
        }

        let resident = try #require(try await present("resident", expectSeq: 1))
        #expect(resident.decision == .admit && resident.reason == .admitted)
        #expect(resident.credential?.kind == .idCard && resident.credential?.payload == hash)
        #expect(resident.credential?.lastFour == "1233" && resident.credential?.registration == nil)

        let (hostStatus, hostText) = try runBuilt("checkpointctl", ["gate", "host", "--lane", "visitors-in", "--host", "张先生 302室", "--socket", socket])
        #expect(hostStatus == 0, "\(hostText)")
        let visitor = try #require(try await present("visitor", expectSeq: 2))
        #expect(visitor.credential?.registration?.host == "张先生 302室")
        #expect(visitor.decision == .refer && visitor.reason == .visitorRegistration)
        #expect(visitor.credential?.registration?.name == "李秀英")

        let expired = try #require(try await present("expired", expectSeq: 3))
        #expect(expired.decision == .refuse && expired.reason == .cardExpired)
        #expect(try gateTests.journalStatus(socket)?.state.lastSeq == 3, "one entry per card presented")
        let (_, journalText) = try runBuilt("checkpointctl", ["journal", "--socket", socket, "--last", "3"])
        #expect(journalText.contains("ID card …1233") && !journalText.contains(hash), "\(journalText)")
        let (readersStatus, readers) = try runBuilt("checkpointctl", ["idreaders", "--socket", socket])
        #expect(readersStatus == 0 && readers.contains("idcard-1 (sam-module-serial): ready; cards 3"), "\(readers)")

        #expect(try await waitUntil(within: .seconds(10)) { try central.storedRecords().count == 3 })
        let atStore = try stored(central)
        #expect(atStore.entries.map(\.0) == ["admitted", "visitorRegistration", "cardExpired"])
        #expect(atStore.entries.first?.1 == hash)
        #expect(!atStore.entries.contains { $0.1.contains(Self.residentNumber) })
        #expect(atStore.registrations.count == 1)
        #expect(atStore.registrations.first?.0 == 2 && atStore.registrations.first?.1 == "李秀英")
        #expect(atStore.registrations.first?.2.count == 18)

        // The visitors' register through the API, JSON and CSV (administrator token).
        let (status, json) = try await central.admin(.GET, "/v1/registrations")
        #expect(status == 200 && json.contains("李秀英") && json.contains("张先生 302室") && !json.contains("王小明"))
        let (csvStatus, csv) = try await central.admin(.GET, "/v1/registrations?format=csv&utcOffset=%2B08:00")
        #expect(csvStatus == 200 && csv.contains("occurred_at,gate,lane,name,citizen_number,address,host") && csv.contains("李秀英"))

        kill(daemon.processIdentifier, SIGTERM)
        daemon.waitUntilExit()
        let text = try String(contentsOf: log, encoding: .utf8)
        #expect(text.contains("ID card read"))
        #expect(!text.contains(Self.residentNumber) && !text.contains("王小明") && !text.contains("李秀英"))
        #expect(!text.contains(hash))
    }

    @Test("checkpointd --check refuses a lane whose idReaders names a scanner, or which has no district key, naming the key")
    func configurationChecked() throws {
        let dir = try TestEnvironment.temporaryDirectory("idcard-check")
        defer { try? FileManager.default.removeItem(at: dir) }
        let base = """
            gate = "g"
            catalog = "\(BuildProducts.packageRoot.appendingPathComponent("Devices").path)"
            [[device]]
            id = "scan-1"
            model = "gm65"
            path = "/dev/ttyUSB0"
            [[device]]
            id = "idcard-1"
            model = "sam-module-serial"
            path = "/dev/ttyUSB1"
            [journal]
            path = "\(dir.appendingPathComponent("j.sqlite").path)"
            """
        func check(_ extra: String) throws -> (Int32, String) {
            let file = dir.appendingPathComponent("c.toml").path
            try (base + "\n" + extra).write(toFile: file, atomically: true, encoding: .utf8)
            let r = try runExecutable("checkpointd", ["--config", file, "--check"])
            return (r.status, r.error + r.output)
        }
        let scanner = try check("[[lane]]\nid = \"l\"\ndirection = \"in\"\nidReaders = [\"scan-1\"]\n[policy.idCard]\ndistrictKeyFile = \"/k\"\n")
        #expect(scanner.0 == 78 && scanner.1.contains("idReaders") && scanner.1.contains("not an ID reader"), "\(scanner.1)")
        let keyless = try check("[[lane]]\nid = \"l\"\ndirection = \"in\"\nidReaders = [\"idcard-1\"]\n")
        #expect(keyless.0 == 78 && keyless.1.contains("districtKeyFile"), "\(keyless.1)")
        let good = try check("[[lane]]\nid = \"l\"\ndirection = \"in\"\nidReaders = [\"idcard-1\"]\n[policy.idCard]\ndistrictKeyFile = \"/k\"\n")
        #expect(good.0 == 0, "\(good.1)")
    }
}
