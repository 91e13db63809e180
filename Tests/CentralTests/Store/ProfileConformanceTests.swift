import CentralStore
import CheckpointCore
import Foundation
import Testing

/// Gate profiles in the store (docs/fleet.md) — levels, versions, clips, gates' reports — on SQLite
/// and PostgreSQL.
@Suite("Central store conformance: gate profiles (SQLite and PostgreSQL)")
struct ProfileConformanceTests {
    typealias F = StoreFixture

    static func beat(_ gate: String, profile: ProfileReport?) -> Heartbeat {
        var beat = GateAlertConformanceTests.beat(gate, at: F.base)
        beat.profile = profile
        return beat
    }

    @Test("Each change of a level is a new version with who and when; a gate's version is the highest of its levels",
          arguments: StoreEngine.allCases)
    func versions(engine: StoreEngine) async throws {
        try await withStore(engine) { f, _ in
            let street = try await f.store.putProfileLevel(PlaceScope(level: .street, id: "wenhua"), toml: "[policy]\nfeverThresholdCelsius = 37.5",
                                                           by: "alice", at: F.base)
            let community = try await f.store.putProfileLevel(PlaceScope(level: .community, id: "hexi"), toml: "[policy]\nlabel = \"x\"",
                                                              by: "bob", at: F.base.addingTimeInterval(60))
            #expect(community.version > street.version && community.changedBy == "bob" && community.changedAt == F.base.addingTimeInterval(60))
            let g1 = try await f.store.profileLevels(gate: "g1")
            #expect(g1.version == community.version && g1.levels.map(\.place.level) == [.street, .community])
            let g4 = try await f.store.profileLevels(gate: "g4")
            #expect(g4.version == street.version && g4.levels.map(\.toml) == ["[policy]\nfeverThresholdCelsius = 37.5"],
                    "another community's level does not apply")
            #expect(try await f.store.profileLevels(gate: "g5").version == 0)
            let again = try await f.store.putProfileLevel(PlaceScope(level: .street, id: "wenhua"), toml: "", by: "alice", at: F.base)
            #expect(try await f.store.profileLevels(gate: "g4").version == again.version)
            #expect(try await f.store.profileLevel(PlaceScope(level: .street, id: "wenhua"))?.toml == "")
            await #expect(throws: CentralStoreError.self) {
                _ = try await f.store.putProfileLevel(PlaceScope(level: .street, id: "nowhere"), toml: "", by: "alice", at: F.base)
            }
        }
    }

    @Test("A heartbeat's profile report is kept for the gate list, and its reply carries the gate's version",
          arguments: StoreEngine.allCases)
    func reports(engine: StoreEngine) async throws {
        try await withStore(engine) { f, _ in
            let level = try await f.store.putProfileLevel(PlaceScope(level: .checkpoint, id: "hexi-1"), toml: "", by: "alice", at: F.base)
            let reply = try await f.store.recordHeartbeat(gate: "g1", Self.beat("g1", profile: ProfileReport(appliedVersion: 0,
                refusedVersion: level.version, refusal: "profile v1: policy.feverThresholdCelsius: 50.0 is outside 30.0…45.0")),
                receivedAt: F.base)
            #expect(reply.profileVersion == level.version)
            _ = try await f.store.recordHeartbeat(gate: "g3", Self.beat("g3", profile: nil), receivedAt: F.base)
            let rows = try await f.store.gateProfiles(scope: PlaceScope(level: .community, id: "hexi"))
            #expect(rows.map(\.gate) == ["g1", "g2", "g3"])
            #expect(rows[0].currentVersion == level.version && rows[0].report?.refusedVersion == level.version)
            #expect(rows[0].report?.refusal?.contains("feverThresholdCelsius") == true && rows[0].reportedAt == F.base)
            #expect(rows[2].report == nil && rows[2].currentVersion == 0, "a gate that never reported, outside the checkpoint")
        }
    }

    @Test("A clip is stored once under the SHA-256 of its bytes", arguments: StoreEngine.allCases)
    func clips(engine: StoreEngine) async throws {
        try await withStore(engine) { f, _ in
            let wav = Data("RIFF\u{0}\u{0}\u{0}\u{0}WAVEdata".utf8)
            let hash = try await f.store.putClip(wav, by: "alice", at: F.base)
            #expect(try await f.store.putClip(wav, by: "bob", at: F.base) == hash)
            #expect(hash.count == 64)
            #expect(try await f.store.clip(sha256: hash) == wav)
            #expect(try await f.store.clip(sha256: String(repeating: "0", count: 64)) == nil)
            #expect(try await f.store.presentClips([hash, String(repeating: "1", count: 64)]) == [hash])
        }
    }
}
