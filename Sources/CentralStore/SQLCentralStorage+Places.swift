import CheckpointCore
import Foundation

extension SQLCentralStorage {
    static let maxNameBytes = 200

    public func upsertPlaces(_ directory: PlaceDirectory) async throws {
        var streets: [[SQLValue]] = [], communities: [[SQLValue]] = [], checkpoints: [[SQLValue]] = [], gates: [[SQLValue]] = []
        var seen: [PlaceLevel: Set<String>] = [:]
        func check(_ level: PlaceLevel, _ id: String, _ name: String?) throws {
            guard FieldLimits.isValidIdentifier(id) else {
                throw CentralStoreError.invalidInput("\(level.rawValue) id \"\(id)\" is not 1…64 of A–Z a–z 0–9 . _ -")
            }
            if let name, name.isEmpty || name.utf8.count > Self.maxNameBytes {
                throw CentralStoreError.invalidInput("\(level.rawValue) \(id): name must be 1…\(Self.maxNameBytes) bytes")
            }
            guard seen[level, default: []].insert(id).inserted else {
                throw CentralStoreError.invalidInput("\(level.rawValue) \(id) is listed twice")
            }
        }
        for street in directory.streets {
            try check(.street, street.id, street.name)
            streets.append([.text(street.id), .text(street.name)])
            for community in street.communities {
                try check(.community, community.id, community.name)
                communities.append([.text(community.id), .text(street.id), .text(community.name)])
                for checkpoint in community.checkpoints {
                    try check(.checkpoint, checkpoint.id, checkpoint.name)
                    checkpoints.append([.text(checkpoint.id), .text(community.id), .text(checkpoint.name)])
                    for gate in checkpoint.gates {
                        try check(.gate, gate.id, gate.name)
                        gates.append([.text(gate.id), .text(checkpoint.id), .optional(gate.name)])
                    }
                }
            }
        }
        let rows = (streets: streets, communities: communities, checkpoints: checkpoints, gates: gates)
        try await write { session in
            try await self.insertRows(session, table: "streets", columns: ["id", "name"], rows: rows.streets,
                                      suffix: "ON CONFLICT (id) DO UPDATE SET name = excluded.name")
            try await self.insertRows(session, table: "communities", columns: ["id", "street", "name"], rows: rows.communities,
                                      suffix: "ON CONFLICT (id) DO UPDATE SET street = excluded.street, name = excluded.name")
            try await self.insertRows(session, table: "checkpoints", columns: ["id", "community", "name"], rows: rows.checkpoints,
                                      suffix: "ON CONFLICT (id) DO UPDATE SET community = excluded.community, name = excluded.name")
            try await self.insertRows(session, table: "gates", columns: ["id", "checkpoint", "name"], rows: rows.gates,
                                      suffix: "ON CONFLICT (id) DO UPDATE SET checkpoint = excluded.checkpoint, name = excluded.name")
        }
    }

    public func places() async throws -> PlaceDirectory {
        try await read { session in
            let streets = try await session.query("SELECT id, name FROM streets")
            let communities = try await session.query("SELECT id, street, name FROM communities")
            let checkpoints = try await session.query("SELECT id, community, name FROM checkpoints")
            let gates = try await session.query("SELECT id, checkpoint, name FROM gates")
            var gatesOf: [String: [GatePlace]] = [:]
            for row in gates {
                gatesOf[try row.text(1), default: []].append(GatePlace(id: try row.text(0), name: try row.optionalText(2)))
            }
            var checkpointsOf: [String: [CheckpointPlace]] = [:]
            for row in checkpoints {
                let id = try row.text(0)
                checkpointsOf[try row.text(1), default: []].append(
                    CheckpointPlace(id: id, name: try row.text(2), gates: (gatesOf[id] ?? []).sorted { $0.id < $1.id }))
            }
            var communitiesOf: [String: [Community]] = [:]
            for row in communities {
                let id = try row.text(0)
                communitiesOf[try row.text(1), default: []].append(
                    Community(id: id, name: try row.text(2), checkpoints: (checkpointsOf[id] ?? []).sorted { $0.id < $1.id }))
            }
            let result = try streets.map { row in
                let id = try row.text(0)
                return StreetOffice(id: id, name: try row.text(1), communities: (communitiesOf[id] ?? []).sorted { $0.id < $1.id })
            }
            return PlaceDirectory(streets: result.sorted { $0.id < $1.id })
        }
    }

    // MARK: Gates and credentials

    public func registerGate(_ gate: String, checkpoint: String, at: Date) async throws -> IssuedSecret {
        guard FieldLimits.isValidIdentifier(gate) else {
            throw CentralStoreError.invalidInput("gate id \"\(gate)\" is not 1…64 of A–Z a–z 0–9 . _ -")
        }
        let issued = Secrets.make()
        try await write { session in
            try await PlaceSQL.requireExists(PlaceScope(level: .checkpoint, id: checkpoint), in: session)
            let existing = try await session.query("SELECT secret_sha256 FROM gates WHERE id = ?", [.text(gate)])
            if let row = existing.first, !row.isNull(0) { throw CentralStoreError.gateExists(gate) }
            try await session.execute("""
                INSERT INTO gates (id, checkpoint, secret_sha256, registered_at_ms, first_registered_at_ms) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET checkpoint = excluded.checkpoint, secret_sha256 = excluded.secret_sha256,
                    registered_at_ms = excluded.registered_at_ms, revoked_at_ms = NULL,
                    first_registered_at_ms = excluded.first_registered_at_ms
                """, [.text(gate), .text(checkpoint), .text(issued.sha256), .millis(at), .millis(at)])
        }
        logger.notice("gate secret issued", metadata: ["gate": "\(gate)", "checkpoint": "\(checkpoint)"])
        return IssuedSecret(subject: gate, secret: issued.secret)
    }

    public func rotateGateSecret(_ gate: String, at: Date) async throws -> IssuedSecret {
        let issued = Secrets.make()
        let rows = try await write { session in
            try await session.query("""
                UPDATE gates SET secret_sha256 = ?, registered_at_ms = ?, revoked_at_ms = NULL WHERE id = ? RETURNING id
                """, [.text(issued.sha256), .millis(at), .text(gate)])
        }
        guard !rows.isEmpty else { throw CentralStoreError.unknownGate(gate) }
        logger.notice("gate secret rotated", metadata: ["gate": "\(gate)"])
        return IssuedSecret(subject: gate, secret: issued.secret)
    }

    /// The secret is checked before the revocation, so that only the holder of a gate's secret
    /// learns that it is revoked (an unknown gate and a wrong secret look alike to everyone else).
    public func verifyGateSecret(gate: String, secret: String) async throws -> CredentialCheck {
        let rows = try await read { session in
            try await session.query("SELECT secret_sha256, revoked_at_ms FROM gates WHERE id = ?", [.text(gate)])
        }
        guard let row = rows.first, let stored = try row.optionalText(0) else { return .unknown }
        guard let presented = Secrets.hash(presented: secret), Secrets.constantTimeEqual(presented, stored) else { return .mismatch }
        return row.isNull(1) ? .accepted : .revoked
    }

    public func revokeGate(_ gate: String, at: Date) async throws {
        let rows = try await write { session in
            try await session.query("UPDATE gates SET revoked_at_ms = ? WHERE id = ? RETURNING id", [.millis(at), .text(gate)])
        }
        guard !rows.isEmpty else { throw CentralStoreError.unknownGate(gate) }
        logger.notice("gate revoked", metadata: ["gate": "\(gate)"])
    }

    public func gates() async throws -> [GateInfo] {
        try await read { session in
            try await session.query("SELECT id, name, checkpoint, secret_sha256, registered_at_ms, revoked_at_ms FROM gates")
                .map { row in
                    GateInfo(id: try row.text(0), name: try row.optionalText(1), checkpoint: try row.text(2),
                             canIngest: !row.isNull(3) && row.isNull(5), registeredAt: try row.optionalDate(4),
                             revokedAt: try row.optionalDate(5))
                }
                .sorted { $0.id < $1.id }
        }
    }

    public func createAdminToken(label: String, role: Role, scope: PlaceScope?, at: Date) async throws -> IssuedSecret {
        guard FieldLimits.isValidIdentifier(label) else {
            throw CentralStoreError.invalidInput("admin token label \"\(label)\" is not 1…64 of A–Z a–z 0–9 . _ -")
        }
        try Self.checkScope(scope, fits: role)
        let issued = Secrets.make()
        try await write { session in
            try await PlaceSQL.requireExists(scope, in: session)
            let existing = try await session.query("SELECT 1 FROM admin_tokens WHERE label = ?", [.text(label)])
            guard existing.isEmpty else { throw CentralStoreError.invalidInput("admin token label \(label) is already in use") }
            try await session.execute("""
                INSERT INTO admin_tokens (label, token_sha256, created_at_ms, role, scope_level, scope_id) VALUES (?, ?, ?, ?, ?, ?)
                """, [.text(label), .text(issued.sha256), .millis(at), .text(role.rawValue),
                      .optional(scope?.level.rawValue), .optional(scope?.id)])
        }
        logger.notice("admin token issued", metadata: ["label": "\(label)", "role": "\(role.rawValue)"])
        return IssuedSecret(subject: label, secret: issued.secret)
    }

    public func authenticateAdminToken(_ token: String) async throws -> AdminTokenGrant {
        // Looked up by its hash: the hash of an unknown 256-bit token tells an observer nothing.
        guard let presented = Secrets.hash(presented: token) else { return AdminTokenGrant(check: .unknown) }
        let rows = try await read { session in
            try await session.query("""
                SELECT token_sha256, revoked_at_ms, label, role, scope_level, scope_id FROM admin_tokens WHERE token_sha256 = ?
                """, [.text(presented)])
        }
        guard let row = rows.first, Secrets.constantTimeEqual(try row.text(0), presented) else { return AdminTokenGrant(check: .unknown) }
        guard row.isNull(1) else { return AdminTokenGrant(check: .revoked, label: try row.text(2)) }
        return AdminTokenGrant(check: .accepted, label: try row.text(2), role: try row.rawEnum(3, as: Role.self),
                               scope: try Self.scope(row, level: 4, id: 5))
    }

    public func revokeAdminToken(label: String, at: Date) async throws {
        let rows = try await write { session in
            try await session.query("UPDATE admin_tokens SET revoked_at_ms = ? WHERE label = ? RETURNING label",
                                    [.millis(at), .text(label)])
        }
        guard !rows.isEmpty else { throw CentralStoreError.invalidInput("no admin token labelled \(label)") }
        logger.notice("admin token revoked", metadata: ["label": "\(label)"])
    }

    public func adminTokens() async throws -> [AdminTokenInfo] {
        try await read { session in
            try await session.query("SELECT label, created_at_ms, revoked_at_ms, role, scope_level, scope_id FROM admin_tokens").map { row in
                AdminTokenInfo(label: try row.text(0), createdAt: try row.date(1), revokedAt: try row.optionalDate(2),
                               role: try row.rawEnum(3, as: Role.self), scope: try Self.scope(row, level: 4, id: 5))
            }.sorted { $0.label < $1.label }
        }
    }

    /// Throws `.invalidInput` unless `scope` is given exactly when `role` needs one, at its level.
    static func checkScope(_ scope: PlaceScope?, fits role: Role) throws {
        guard scope?.level == role.scopeLevel else {
            let wanted = role.scopeLevel.map { "a \($0.rawValue) scope" } ?? "no scope"
            throw CentralStoreError.invalidInput("role \(role.rawValue) takes \(wanted)")
        }
        if let scope, !FieldLimits.isValidIdentifier(scope.id) {
            throw CentralStoreError.invalidInput("scope id \"\(scope.id)\" is not a valid identifier")
        }
    }

    /// A scope from two nullable columns (level, id).
    static func scope(_ row: SQLRow, level: Int, id: Int) throws -> PlaceScope? {
        guard !row.isNull(level) else { return nil }
        return PlaceScope(level: try row.rawEnum(level, as: PlaceLevel.self), id: try row.text(id))
    }

    /// The first statement of an ingest: throws unless `gate` holds a secret and is not revoked, sets
    /// its `last_ingest_at_ms` to `receivedAt`, and returns when it was first registered (nil if that
    /// was before the store recorded it). The update locks the gate's row until the transaction ends,
    /// which serialises ingests of one gate across connections and servers on PostgreSQL (SQLite has
    /// one writer); a refused gate's update is rolled back with the throw.
    static func claimGateForIngest(_ gate: String, at receivedAt: Date, in session: any SQLSession) async throws -> Date? {
        let rows = try await session.query("""
            UPDATE gates SET last_ingest_at_ms = ? WHERE id = ?
            RETURNING secret_sha256, revoked_at_ms, first_registered_at_ms
            """, [.millis(receivedAt), .text(gate)])
        guard let row = rows.first, !row.isNull(0) else { throw CentralStoreError.unknownGate(gate) }
        guard row.isNull(1) else { throw CentralStoreError.gateRevoked(gate) }
        return try row.optionalDate(2)
    }

    /// Throws unless `gate` holds a secret and is not revoked (inside a transaction); returns when it
    /// was first registered (nil if that was before the store recorded it).
    @discardableResult
    static func requireActiveGate(_ gate: String, in session: any SQLSession) async throws -> Date? {
        let rows = try await session.query("SELECT secret_sha256, revoked_at_ms, first_registered_at_ms FROM gates WHERE id = ?",
                                           [.text(gate)])
        guard let row = rows.first, !row.isNull(0) else { throw CentralStoreError.unknownGate(gate) }
        guard row.isNull(1) else { throw CentralStoreError.gateRevoked(gate) }
        return try row.optionalDate(2)
    }
}
