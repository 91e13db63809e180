import CheckpointCore
import Foundation
import Profiles
import Testing
@testable import CheckpointConfig

/// Gate profiles: the merge of the street, community and checkpoint levels, the shape a level may
/// have, and the overlay on a gate's local file (docs/fleet.md).
@Suite("Gate profile levels: merge, shape and overlay")
struct ProfileMergeTests {
    static let street = """
        [policy]
        feverThresholdCelsius = 37.3
        feverDecision = "refer"
        [[policy.credentialRule]]
        prefix = "https://street.example/"
        action = "accept"
        [policy.watchList]
        red = "refuse"
        yellow = "refer"
        [horn]
        timeZone = "Asia/Shanghai"
        [horn.quietHours]
        from = "22:00"
        until = "06:00"
        [[horn.schedule]]
        name = "morning"
        announcement = "reminder"
        at = ["08:00"]
        [[horn.schedule]]
        name = "evening"
        announcement = "reminder"
        at = ["18:00"]
        """
    static let community = """
        [policy]
        feverThresholdCelsius = 37.5
        [policy.watchList]
        yellow = "admit"
        [[horn.schedule]]
        name = "noon"
        announcement = "reminder"
        at = ["12:00"]
        """
    static let checkpoint = """
        [policy]
        feverDecision = "refuse"
        [[policy.credentialRule]]
        prefix = "https://checkpoint.example/"
        action = "accept"
        """

    func merged() throws -> [String: ProfileValue] {
        ProfileMerge.merge([try ProfileFragment.parse(Self.street, file: "street/s1"),
                            try ProfileFragment.parse(Self.community, file: "community/c1"),
                            try ProfileFragment.parse(Self.checkpoint, file: "checkpoint/cp1")])
    }

    func table(_ value: ProfileValue?) -> [String: ProfileValue] {
        if case .table(let t)? = value { return t }
        return [:]
    }

    @Test("street default, community override and checkpoint override merge key by key, the most specific winning")
    func keyByKey() throws {
        let policy = table(try merged()["policy"])
        #expect(policy["feverThresholdCelsius"] == .float(37.5), "the community's threshold over the street's")
        #expect(policy["feverDecision"] == .string("refuse"), "the checkpoint's decision over the street's")
        #expect(table(policy["watchList"]) == ["red": .string("refuse"), "yellow": .string("admit")],
                "tables merge key by key: the street's red stays, the community's yellow wins")
        let horn = table(try merged()["horn"])
        #expect(horn["timeZone"] == .string("Asia/Shanghai") && table(horn["quietHours"])["from"] == .string("22:00"),
                "keys only the street sets stay")
    }

    @Test("arrays of tables (schedules, credential rules) are replaced as a whole list by a more specific level")
    func arraysReplacedWhole() throws {
        let profile = try merged()
        guard case .array(let schedules)? = table(profile["horn"])["schedule"],
              case .array(let rules)? = table(profile["policy"])["credentialRule"] else {
            Issue.record("schedule and credentialRule must be arrays")
            return
        }
        #expect(schedules.map { table($0)["name"] } == [.string("noon")], "the community's one schedule replaces the street's two")
        #expect(rules.map { table($0)["prefix"] } == [.string("https://checkpoint.example/")])
    }

    @Test("the merged profile written as TOML reads back to the same values")
    func textRoundTrip() throws {
        let profile = try merged()
        #expect(try ProfileFragment.parse(ProfileFragment.text(profile), file: "merged") == profile)
    }

    @Test("a profile level with a device section is refused with its file, line and key")
    func deviceSectionRefused() throws {
        let text = """
            [policy]
            feverThresholdCelsius = 37.5

            [[lane]]
            id = "north-in"
            """
        #expect {
            _ = try ProfileFragment.parse(text, file: "street/s1")
        } throws: { error in
            guard let e = error as? ConfigError else { return false }
            return e.file == "street/s1" && e.line == 4 && e.key == "lane" && e.message.contains("local file")
        }
    }

    @Test("a profile level setting the horn's device or a clip by path is refused")
    func hornDeviceAndClipPathRefused() throws {
        #expect(throws: ConfigError.self) { _ = try ProfileFragment.parse("[horn]\ndevice = \"hw:0\"", file: "street/s1") }
        #expect(throws: ConfigError.self) {
            _ = try ProfileFragment.parse("[horn.announcements.hello]\nclip = \"/usr/share/hello.wav\"", file: "street/s1")
        }
    }

    static let local = """
        gate = "gate-1"

        [policy]
        feverThresholdCelsius = 37.3
        pairingWindowMs = 600

        [horn]
        device = "null"
        """

    func localDocument() throws -> ConfigDocument { try ConfigDocument(text: Self.local, file: "/etc/checkpoint/checkpoint.toml") }

    @Test("the profile laid over the local file wins key by key and keeps the file's own keys")
    func overlayWins() throws {
        let profile = try ProfileFragment.parse("[policy]\nfeverThresholdCelsius = 37.8\n[horn]\ntimeZone = \"UTC\"", file: "p")
        let document = try ProfileOverlay.overlay(try localDocument(), profile: profile, version: 3, clipDirectory: "/nonexistent")
        let policy = try PolicyConfiguration.parse(document.root)
        #expect(policy.feverThresholdCelsius == 37.8 && policy.pairingWindowMs == 600)
        #expect(try document.root.table("horn")?.string("device") == "null" && document.root.contains("gate"))
    }

    @Test("an invalid value from the profile is refused by the same parser, the error naming the profile's version and key")
    func overlayErrorNamesProfile() throws {
        let profile = try ProfileFragment.parse("[policy]\nfeverThresholdCelsius = 50.0", file: "p")
        let document = try ProfileOverlay.overlay(try localDocument(), profile: profile, version: 7, clipDirectory: "/nonexistent")
        #expect {
            _ = try PolicyConfiguration.parse(document.root)
        } throws: { error in
            guard let e = error as? ConfigError else { return false }
            return e.file == "profile v7" && e.key == "policy.feverThresholdCelsius"
        }
    }

    @Test("a profile naming a clip missing from the gate's cache is refused as a whole")
    func missingClipRefused() throws {
        let hash = String(repeating: "ab", count: 32)
        let profile = try ProfileFragment.parse("""
            [policy]
            feverThresholdCelsius = 37.8
            [horn.announcements.hello]
            clip = "sha256:\(hash)"
            """, file: "p")
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("clips-\(UUID().uuidString)").path
        #expect {
            _ = try ProfileOverlay.overlay(try localDocument(), profile: profile, version: 4, clipDirectory: cache)
        } throws: { error in
            (error as? ConfigError).map { $0.file == "profile v4" && $0.message.contains("not in the gate's clip cache") } ?? false
        }
        try FileManager.default.createDirectory(atPath: cache, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: cache) }
        FileManager.default.createFile(atPath: ProfileOverlay.clipPath(hash, in: cache), contents: Data("RIFF".utf8))
        let document = try ProfileOverlay.overlay(try localDocument(), profile: profile, version: 4, clipDirectory: cache)
        #expect(try document.root.table("horn")?.table("announcements")?.table("hello")?.string("clip") == ProfileOverlay.clipPath(hash, in: cache),
                "once cached, the reference becomes the cached file")
    }
}
