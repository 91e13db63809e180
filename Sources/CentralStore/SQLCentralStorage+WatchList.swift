import CheckpointCore
import Foundation

extension SQLCentralStorage {
    static let maxWatchReasonBytes = 500
    static let watchColumns = ["credential_sha256", "credential", "colour", "isolation", "reason", "valid_until_ms", "version",
                               "changed_at_ms"]

    public func watchListVersion() async throws -> Int64 {
        try await read { session in try await Self.watchState(session).version }
    }

    public func upsertWatchList(_ changes: [WatchListChange], at: Date) async throws -> Int64 {
        var seen = Set<String>()
        for change in changes {
            guard !change.credential.isEmpty, change.credential.utf8.count <= FieldLimits.maxCredentialPayloadBytes else {
                throw CentralStoreError.invalidInput("watch-list credential empty or longer than \(FieldLimits.maxCredentialPayloadBytes) bytes")
            }
            guard change.reason.utf8.count <= Self.maxWatchReasonBytes else {
                throw CentralStoreError.invalidInput("watch-list reason longer than \(Self.maxWatchReasonBytes) bytes")
            }
            guard seen.insert(change.credential).inserted else {
                throw CentralStoreError.invalidInput("watch-list credential listed twice in one change")
            }
        }
        guard !changes.isEmpty else { return try await watchListVersion() }
        return try await write { session in
            let version = try await Self.bumpWatchVersion(session)
            let rows: [[SQLValue]] = changes.map { change in
                [.text(Secrets.sha256(text: change.credential)), .text(change.credential), .text(change.colour.rawValue),
                 .bool(change.isolation), .text(change.reason), .millis(change.validUntil), .int(version), .millis(at)]
            }
            try await self.insertRows(session, table: "watch_list", columns: Self.watchColumns, rows: rows, suffix: """
                ON CONFLICT (credential_sha256) DO UPDATE SET colour = excluded.colour, isolation = excluded.isolation,
                    reason = excluded.reason, valid_until_ms = excluded.valid_until_ms, version = excluded.version,
                    changed_at_ms = excluded.changed_at_ms
                """)
            try await self.deleteByHash(session, table: "watch_removals", hashes: rows.map { $0[0] })
            return version
        }
    }

    public func removeFromWatchList(_ credentials: [String], at: Date) async throws -> Int64 {
        let hashes = Array(Set(credentials)).map { SQLValue.text(Secrets.sha256(text: $0)) }
        return try await write { session in
            var present: [(hash: String, credential: String)] = []
            for chunk in stride(from: 0, to: hashes.count, by: Self.keyLookupChunk).map({ Array(hashes[$0..<min(hashes.count, $0 + Self.keyLookupChunk)]) }) {
                let rows = try await session.query(
                    "SELECT credential_sha256, credential FROM watch_list WHERE credential_sha256 IN (\(Self.placeholders(chunk.count)))", chunk)
                present += try rows.map { (try $0.text(0), try $0.text(1)) }
            }
            guard !present.isEmpty else { return try await Self.watchState(session).version }
            let version = try await Self.bumpWatchVersion(session)
            try await self.deleteByHash(session, table: "watch_list", hashes: present.map { .text($0.hash) })
            try await self.insertRows(session, table: "watch_removals", columns: ["credential_sha256", "credential", "version", "removed_at_ms"],
                                      rows: present.map { [.text($0.hash), .text($0.credential), .int(version), .millis(at)] }, suffix: """
                ON CONFLICT (credential_sha256) DO UPDATE SET version = excluded.version, removed_at_ms = excluded.removed_at_ms
                """)
            return version
        }
    }

    public func expireWatchList(now: Date) async throws -> [String] {
        let expired = try await read { session in
            try await session.query("SELECT credential FROM watch_list WHERE valid_until_ms IS NOT NULL AND valid_until_ms <= ?",
                                    [.millis(now)]).map { try $0.text(0) }
        }
        guard !expired.isEmpty else { return [] }
        _ = try await removeFromWatchList(expired, at: now)
        logger.notice("expired watch-list entries removed", metadata: ["count": "\(expired.count)"])
        return expired
    }

    public func watchListDelta(since: Int64) async throws -> WatchListDelta {
        try await read { session in
            // Read the version first and bound every row by it: a change committed in between is
            // simply left for the next delta.
            let state = try await Self.watchState(session)
            let full = since <= 0 || since < state.prunedThrough || since > state.version
            let lower = full ? 0 : since
            let upserts = try await session.query("""
                SELECT credential, colour, isolation, reason, valid_until_ms, version FROM watch_list
                WHERE version > ? AND version <= ? ORDER BY version
                """, [.int(lower), .int(state.version)]).map { row in
                WatchListEntry(credential: try row.text(0), colour: try row.rawEnum(1, as: WatchColour.self), isolation: try row.bool(2),
                               reason: try row.text(3), validUntil: try row.optionalDate(4), version: try row.int(5))
            }
            var removals: [String] = []
            if !full {
                removals = try await session.query("""
                    SELECT credential FROM watch_removals WHERE version > ? AND version <= ? ORDER BY version
                    """, [.int(lower), .int(state.version)]).map { try $0.text(0) }
            }
            return WatchListDelta(version: state.version, upserts: upserts, removals: removals, full: full)
        }
    }

    public func pruneWatchListRemovals(through version: Int64) async throws {
        try await write { session in
            let state = try await Self.watchState(session)
            let through = min(version, state.version)
            guard through > state.prunedThrough else { return }
            try await session.execute("DELETE FROM watch_removals WHERE version <= ?", [.int(through)])
            try await session.execute("UPDATE watch_state SET removals_pruned_through = ? WHERE singleton = 1", [.int(through)])
        }
    }

    private static func watchState(_ session: any SQLSession) async throws -> (version: Int64, prunedThrough: Int64) {
        guard let row = try await session.query("SELECT version, removals_pruned_through FROM watch_state WHERE singleton = 1").first else {
            throw CentralStoreError.engine("watch_state row is missing")
        }
        return (try row.int(0), try row.int(1))
    }

    private static func bumpWatchVersion(_ session: any SQLSession) async throws -> Int64 {
        guard let row = try await session.query("UPDATE watch_state SET version = version + 1 WHERE singleton = 1 RETURNING version").first else {
            throw CentralStoreError.engine("watch_state row is missing")
        }
        return try row.int(0)
    }

    private func deleteByHash(_ session: any SQLSession, table: String, hashes: [SQLValue]) async throws {
        var start = 0
        while start < hashes.count {
            let chunk = Array(hashes[start..<min(hashes.count, start + Self.keyLookupChunk)])
            try await session.execute("DELETE FROM \(table) WHERE credential_sha256 IN (\(Self.placeholders(chunk.count)))", chunk)
            start += chunk.count
        }
    }
}
