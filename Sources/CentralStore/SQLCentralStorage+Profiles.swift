import CheckpointCore
import Crypto
import Foundation

extension SQLCentralStorage {
    /// The largest profile level accepted, in UTF-8 bytes.
    public static let maxProfileBytes = 256 * 1024
    /// The largest clip accepted, in bytes.
    public static let maxClipBytes = 8 << 20
    static let maxRefusalBytes = 2_000

    public func putProfileLevel(_ place: PlaceScope, toml: String, by actor: String, at: Date) async throws -> ProfileLevel {
        guard place.level != .gate else { throw CentralStoreError.invalidInput("a profile level is a street, community or checkpoint, not a gate") }
        guard toml.utf8.count <= Self.maxProfileBytes else { throw CentralStoreError.invalidInput("profile longer than \(Self.maxProfileBytes) bytes") }
        guard !actor.isEmpty, actor.utf8.count <= 100 else { throw CentralStoreError.invalidInput("actor must be 1…100 bytes") }
        return try await write { session in
            try await PlaceSQL.requireExists(place, in: session)
            let rows = try await session.query("""
                INSERT INTO profile_levels (level, place, toml, changed_by, changed_at_ms) VALUES (?, ?, ?, ?, ?) RETURNING version
                """, [.text(place.level.rawValue), .text(place.id), .text(toml), .text(actor), .millis(at)])
            guard let version = try rows.first?.int(0) else { throw CentralStoreError.engine("profile insert returned no version") }
            return ProfileLevel(place: place, version: version, toml: toml, changedBy: actor, changedAt: SQLTime.date(SQLTime.millis(at)))
        }
    }

    public func profileLevel(_ place: PlaceScope) async throws -> ProfileLevel? {
        try await read { session in
            try await PlaceSQL.requireExists(place, in: session)
            return try await Self.latestLevel(place, session)
        }
    }

    public func profileLevels(gate: String) async throws -> (version: Int64, levels: [ProfileLevel]) {
        try await read { session in
            let levels = try await Self.levels(gate: gate, session)
            return (levels.map(\.version).max() ?? 0, levels)
        }
    }

    public func putClip(_ data: Data, by actor: String, at: Date) async throws -> String {
        guard !data.isEmpty, data.count <= Self.maxClipBytes else { throw CentralStoreError.invalidInput("a clip is 1…\(Self.maxClipBytes) bytes") }
        guard !actor.isEmpty, actor.utf8.count <= 100 else { throw CentralStoreError.invalidInput("actor must be 1…100 bytes") }
        let hash = Secrets.hex(Array(SHA256.hash(data: data)))
        try await write { session in
            try await session.execute("""
                INSERT INTO profile_clips (sha256, base64, bytes, uploaded_by, uploaded_at_ms) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (sha256) DO NOTHING
                """, [.text(hash), .text(data.base64EncodedString()), .int(Int64(data.count)), .text(actor), .millis(at)])
        }
        return hash
    }

    public func clip(sha256: String) async throws -> Data? {
        try await read { session in
            try await session.query("SELECT base64 FROM profile_clips WHERE sha256 = ?", [.text(sha256)]).first
                .flatMap { Data(base64Encoded: try $0.text(0)) }
        }
    }

    public func presentClips(_ hashes: [String]) async throws -> Set<String> {
        guard !hashes.isEmpty else { return [] }
        let unique = Array(Set(hashes))
        return try await read { session in
            let rows = try await session.query("SELECT sha256 FROM profile_clips WHERE sha256 IN (\(Self.placeholders(unique.count)))",
                                               unique.map { .text($0) })
            return Set(try rows.map { try $0.text(0) })
        }
    }

    public func gateProfiles(scope: PlaceScope?) async throws -> [GateProfileStatus] {
        try await read { session in
            try await PlaceSQL.requireExists(scope, in: session)
            var current: [String: Int64] = [:]
            for row in try await session.query("SELECT level, place, MAX(version) FROM profile_levels GROUP BY level, place") {
                current["\(try row.text(0))/\(try row.text(1))"] = try row.int(2)
            }
            let place = PlaceSQL.filter(scope)
            let rows = try await session.query("""
                SELECT g.id, g.checkpoint, c.community, m.street, p.applied_version, p.refused_version, p.refusal, p.reported_at_ms
                FROM gates g \(PlaceSQL.joinFromGates) LEFT JOIN gate_profiles p ON p.gate = g.id WHERE 1 = 1\(place.sql)
                ORDER BY g.id
                """, place.arguments)
            return try rows.map { row in
                let version = [("checkpoint", try row.text(1)), ("community", try row.text(2)), ("street", try row.text(3))]
                    .compactMap { current["\($0.0)/\($0.1)"] }.max() ?? 0
                let report = try row.optionalInt(4).map {
                    ProfileReport(appliedVersion: $0, refusedVersion: try row.optionalInt(5), refusal: try row.optionalText(6))
                }
                return GateProfileStatus(gate: try row.text(0), checkpoint: try row.text(1), currentVersion: version, report: report,
                                         reportedAt: try row.optionalDate(7))
            }
        }
    }

    /// Stores the heartbeat's profile report (if any) and returns the gate's effective profile
    /// version (the highest of its street's, community's and checkpoint's levels; 0 = none) and the
    /// watch list's version, read in one statement.
    static func recordProfileReport(gate: String, _ report: ProfileReport?, at: Date,
                                    session: any SQLSession) async throws -> (profile: Int64, watchList: Int64) {
        if let report {
            guard report.appliedVersion >= 0, (report.refusal?.utf8.count ?? 0) <= maxRefusalBytes else {
                throw CentralStoreError.invalidInput("profile: appliedVersion must be ≥ 0 and refusal at most \(maxRefusalBytes) bytes")
            }
            try await session.execute("""
                INSERT INTO gate_profiles (gate, applied_version, refused_version, refusal, reported_at_ms) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (gate) DO UPDATE SET applied_version = excluded.applied_version,
                    refused_version = excluded.refused_version, refusal = excluded.refusal, reported_at_ms = excluded.reported_at_ms
                """, [.text(gate), .int(report.appliedVersion), .optional(report.refusedVersion), .optional(report.refusal), .millis(at)])
        }
        let rows = try await session.query("""
            SELECT COALESCE(MAX(p.version), 0), (SELECT version FROM watch_state WHERE singleton = 1)
            FROM gates g \(PlaceSQL.joinFromGates)
            LEFT JOIN profile_levels p ON (p.level = ? AND p.place = m.street) OR (p.level = ? AND p.place = c.community)
                OR (p.level = ? AND p.place = g.checkpoint)
            WHERE g.id = ?
            """, [.text(PlaceLevel.street.rawValue), .text(PlaceLevel.community.rawValue), .text(PlaceLevel.checkpoint.rawValue),
                  .text(gate)])
        guard let row = rows.first else { throw CentralStoreError.unknownGate(gate) }
        return (profile: try row.int(0), watchList: row.isNull(1) ? 0 : try row.int(1))
    }

    /// The gate's street, community and checkpoint levels that are set, least specific first.
    private static func levels(gate: String, _ session: any SQLSession) async throws -> [ProfileLevel] {
        guard let row = try await session.query("""
            SELECT m.street, c.community, g.checkpoint FROM gates g \(PlaceSQL.joinFromGates) WHERE g.id = ?
            """, [.text(gate)]).first else { throw CentralStoreError.unknownGate(gate) }
        var out: [ProfileLevel] = []
        for (i, level) in [PlaceLevel.street, .community, .checkpoint].enumerated() {
            if let found = try await latestLevel(PlaceScope(level: level, id: try row.text(i)), session) { out.append(found) }
        }
        return out
    }

    private static func latestLevel(_ place: PlaceScope, _ session: any SQLSession) async throws -> ProfileLevel? {
        try await session.query("""
            SELECT version, toml, changed_by, changed_at_ms FROM profile_levels WHERE level = ? AND place = ?
            ORDER BY version DESC LIMIT 1
            """, [.text(place.level.rawValue), .text(place.id)]).first.map { row in
            ProfileLevel(place: place, version: try row.int(0), toml: try row.text(1), changedBy: try row.text(2), changedAt: try row.date(3))
        }
    }
}
