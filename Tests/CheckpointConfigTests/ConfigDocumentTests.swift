import Testing
@testable import CheckpointConfig

private let sample = """
# gate configuration
gate = "gate-01"

[horn]
warmupMs = 150
voice = "cmn"
notes = \"\"\"
a = not a key
\"\"\"

[[lane]]
id = "north-in"
direction = "in"
relay = { chip = "gpiochip0", offset = 17 }

[[lane]]
id = "north-out"
direction = "out"
scanners = [
  "scanner-a",
  "scanner-b",
]
[lane.thermometer]
device = "/dev/ttyUSB0"
offset = "0.3"
"""

@Suite("Configuration documents")
struct ConfigDocumentTests {
    @Test("Keys are indexed to their lines, including array-of-table elements and inline tables")
    func keyLines() throws {
        let doc = try ConfigDocument(text: sample, file: "test.toml")
        #expect(doc.line(of: "gate") == 2)
        #expect(doc.line(of: "horn.warmupMs") == 5)
        #expect(doc.line(of: "lane[0].relay.offset") == 14)
        #expect(doc.line(of: "lane[1].id") == 17)
        #expect(doc.line(of: "lane[1].thermometer.offset") == 25)
        #expect(doc.line(of: "a") == nil)
    }

    @Test("A value of the wrong type is an error naming file, line and key")
    func wrongTypeNamesLine() throws {
        let doc = try ConfigDocument(text: sample, file: "test.toml")
        let lane = try doc.root.tables("lane")[1]
        let thermo = try #require(try lane.table("thermometer"))
        let error = #expect(throws: ConfigError.self) { try thermo.double("offset") }
        #expect(error?.description == "test.toml:25: lane[1].thermometer.offset: expected a number, found a string")
    }

    @Test("An unknown key is rejected with a suggestion")
    func unknownKey() throws {
        let doc = try ConfigDocument(text: sample, file: "test.toml")
        let horn = try #require(try doc.root.table("horn"))
        let error = #expect(throws: ConfigError.self) { try horn.rejectUnknownKeys(["warmUpMs", "voice", "notes"]) }
        #expect(error?.line == 5)
        #expect(error?.description.contains("did you mean \"warmUpMs\"") == true)
    }

    @Test("A value out of range is an error with the range")
    func outOfRange() throws {
        let doc = try ConfigDocument(text: sample, file: "test.toml")
        let horn = try #require(try doc.root.table("horn"))
        let error = #expect(throws: ConfigError.self) { try horn.int("warmupMs", in: 0...100) }
        #expect(error?.description == "test.toml:5: horn.warmupMs: 150 is outside 0…100")
    }

    @Test("A syntax error names the line TOMLKit reports")
    func syntaxError() {
        let error = #expect(throws: ConfigError.self) { try ConfigDocument(text: "a = 1\nb = = 2\n", file: "bad.toml") }
        #expect(error?.line == 2)
        #expect(error?.file == "bad.toml")
    }
}
