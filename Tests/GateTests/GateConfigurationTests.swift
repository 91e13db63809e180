import CheckpointConfig
import CheckpointCore
import Testing

@Suite("Lane, policy, central and journal configuration")
struct GateConfigurationTests {
    func root(_ text: String) throws -> ConfigTable { try ConfigDocument(text: text, file: "gate.toml").root }

    @Test("A full configuration parses into lanes, policy, central and journal settings")
    func parsesAll() throws {
        let r = try root("""
        gate = "gate-07"
        [journal]
        path = "/tmp/j.sqlite"
        retentionDays = 7
        [central]
        url = "https://central.example"
        secretsFile = "/etc/checkpoint/secret"
        batchSize = 100
        [policy]
        feverThresholdCelsius = 37.5
        bodyRangeCelsius = [33.0, 43.0]
        noReading = "remeasure"
        deny = ["X"]
        [[policy.credentialRule]]
        prefix = "https://hc.example/"
        action = "accept"
        [[policy.credentialRule]]
        pattern = "^[0-9]{17}[0-9X]$"
        action = "deny"
        [policy.watchList]
        orange = "refuse"
        [[lane]]
        id = "north-in"
        direction = "in"
        scanner = "scan-1"
        thermometer = "thermo-1"
        relay = { chip = "gpiochip0", offset = 17, pulseMs = 1200 }
        indicators = { green = { name = "LED_G" }, red = { simulated = "red" }, showMs = 2000 }
        [[lane]]
        id = "north-out"
        direction = "out"
        scanners = ["scan-2"]
        """)
        let lanes = try LaneConfiguration.parseAll(r, knownDevices: ["scan-1", "scan-2", "thermo-1"])
        #expect(lanes.map(\.id) == ["north-in", "north-out"])
        #expect(lanes[0].relayPulseMs == 1200 && lanes[0].relay?.address == .chipOffset(chip: "gpiochip0", offset: 17))
        #expect(lanes[0].greenIndicator?.address == .named("LED_G") && lanes[0].indicatorMs == 2000)
        #expect(lanes[1].thermometer == nil && lanes[1].direction == .out && lanes[1].relay == nil)
        let p = try PolicyConfiguration.parse(r)
        #expect(p.feverThresholdCelsius == 37.5 && p.bodyMinimumCelsius == 33 && p.noReadingDecision == .remeasure)
        #expect(p.credentialRules.count == 2 && p.watchListDecisions[.orange] == .refuse && p.deny == ["X"])
        let c = try #require(try CentralConfiguration.parse(r))
        #expect(c.batchSize == 100 && c.caFile == nil)
        let j = try JournalConfiguration.parse(r)
        #expect(j.retentionDays == 7 && j.path == "/tmp/j.sqlite" && j.minimumFreeMB == 64)
    }

    @Test("A lane's exitButton and doorContact parse with their debounce, bias and held-open time; defaults fill the rest")
    func laneInputs() throws {
        let r = try root("""
        [[lane]]
        id = "a"
        direction = "out"
        scanner = "scan-1"
        exitButton = { chip = "gpiochip0", offset = 22, activeLow = true, bias = "pullUp", debounceMs = 30 }
        doorContact = { name = "DOOR_A", heldOpenSeconds = 45 }
        """)
        let lane = try #require(try LaneConfiguration.parseAll(r, knownDevices: ["scan-1"]).first)
        #expect(lane.exitButton == InputLineSpec(address: .chipOffset(chip: "gpiochip0", offset: 22), activeLow: true, bias: .pullUp,
                                                 debounceMs: 30, source: "lane[0].exitButton"))
        #expect(lane.doorContact == DoorContactConfiguration(line: InputLineSpec(address: .named("DOOR_A"), source: "lane[0].doorContact"),
                                                             heldOpenSeconds: 45, releaseWindowMs: DoorContactConfiguration.defaultReleaseWindowMs))
        #expect(lane.doorContact?.line.debounceMs == InputLineSpec.defaultDebounceMs)
    }

    @Test("A door contact with heldOpenSeconds = 0 or an unknown bias is an error naming its line and key",
          arguments: [("doorContact = { name = \"DOOR_A\", heldOpenSeconds = 0 }", "lane[0].doorContact.heldOpenSeconds"),
                      ("exitButton = { name = \"EXIT\", bias = \"pullSideways\" }", "lane[0].exitButton.bias")])
    func badLaneInputs(line: String, key: String) throws {
        let r = try root("[[lane]]\nid = \"a\"\ndirection = \"out\"\nscanner = \"scan-1\"\n\(line)\n")
        #expect {
            try LaneConfiguration.parseAll(r, knownDevices: ["scan-1"])
        } throws: { e in
            (e as? ConfigError)?.description.hasPrefix("gate.toml:5: \(key):") == true
        }
    }

    @Test("A lane naming an unknown device is an error with file, line and key")
    func unknownDevice() throws {
        let r = try root("""
        [[lane]]
        id = "a"
        direction = "in"
        scanner = "scan-1"
        thermometer = "thermo-9"
        """)
        #expect {
            try LaneConfiguration.parseAll(r, knownDevices: ["scan-1"])
        } throws: { e in
            (e as? ConfigError)?.description == "gate.toml:5: lane[0].thermometer: no [[device]] with id \"thermo-9\""
        }
    }

    @Test("A misspelt policy key, a bad pattern and a threshold outside the body range are errors naming their line")
    func policyErrors() throws {
        #expect(throws: ConfigError.self) { try PolicyConfiguration.parse(try root("[policy]\nfeverTreshold = 37.0\n")) }
        let bad = try root("[policy]\n[[policy.credentialRule]]\npattern = \"([a-z\"\naction = \"accept\"\n")
        #expect { try PolicyConfiguration.parse(bad) } throws: { e in (e as? ConfigError)?.line == 3 }
        let outside = try root("[policy]\nfeverThresholdCelsius = 43.5\n")
        #expect { try PolicyConfiguration.parse(outside) } throws: { e in (e as? ConfigError)?.key == "policy.feverThresholdCelsius" }
    }

    @Test("Two lanes sharing a scanner, or one lane defined twice, are refused")
    func sharedDevices() throws {
        let r = try root("""
        [[lane]]
        id = "a"
        direction = "in"
        scanner = "s"
        [[lane]]
        id = "b"
        direction = "out"
        scanner = "s"
        """)
        #expect { try LaneConfiguration.parseAll(r) } throws: { e in (e as? ConfigError)?.line == 8 }
    }
}
